import { CWE_502, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "unresolved-callable",
  meta: {
    description:
      "A serialized program calls or imports something that cannot be resolved without running it (memo miss, " +
      "extension registry code, a callee computed by another call, non-string operands): a scanner cannot tell what " +
      "runs, which is how payloads hide from name-based checks.",
    severity: "critical",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Do not load this file; if you trust its author, load it with a restricted unpickler (torch.load(weights_only=True)) or convert it to safetensors.",
    references: [CWE_502, OWASP_ML06, link("https://github.com/mmaitre314/picklescan/issues/52")],
    messages: {
      unresolvedCall:
        "The callable applied via {{via}} cannot be resolved statically ({{reason}}): the loader would call whatever it turns out to be.",
      unresolvedImport:
        "The global imported via {{via}} cannot be resolved statically ({{reason}}): the loader would import whatever it turns out to be.",
      moreFindings: "{{count}} more distinct unresolvable references in this file are not listed one by one.",
    },
  },
});

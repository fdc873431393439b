import { CWE_502, cve, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { CVE_2025_32434 } from "../references.js";

export default defineRule({
  name: "dangerous-global",
  meta: {
    description:
      "A serialized program imports or calls a global that is dangerous whatever its arguments: it runs commands or " +
      "code, imports modules, touches files or the network, unpickles nested data, or is a gadget to reach any of these.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load this file; if you trust its author, load it with a restricted unpickler (torch.load(weights_only=True)) or convert it to safetensors.",
    references: [
      CWE_502,
      OWASP_ML06,
      CVE_2025_32434,
      cve("CVE-2025-1716", "pip.main gadget missed by picklescan"),
      cve("CVE-2019-6446", "numpy.load allow_pickle"),
      link("https://docs.python.org/3/library/pickle.html#restricting-globals"),
    ],
    messages: {
      dangerousGlobal: "{{global}} is {{action}} via {{via}}: it {{reason}}.",
      dangerousAttributeChain:
        "{{global}} is {{action}} via {{via}} and resolves through its attribute chain to {{target}}, which {{reason}}.",
      moreFindings: "{{count}} more distinct dangerous globals in this file are not listed one by one.",
    },
  },
});

import { CWE_502, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CVE_2025_32434 } from "../references.js";

export default defineRule({
  name: "non-allowlisted-global",
  meta: {
    description:
      "A serialized program imports or calls a global that is neither known to be dangerous nor on the allowlist of " +
      "globals that ML files use: loading the file imports and runs it, so it needs a person's review.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Check that the named global is your own trusted code; if so, add it to options.allow of code-execution, else do not load the file and convert it to safetensors.",
    references: [CWE_502, OWASP_ML06, CVE_2025_32434],
    messages: {
      notAllowlisted:
        "{{global}} is {{action}} via {{via}} and is not on the allowlist of known-safe ML globals: loading the file imports and runs it.",
      implausibleModule:
        "{{global}} is {{action}} via {{via}}, but {{module}} is not a valid Python module path: the file names something no normal serializer writes.",
      calledWithArguments:
        "{{global}} is {{action}} via {{via}} with arguments: allowed as a pickled object, but called this way it loads the file its arguments name.",
      moreFindings: "{{count}} more distinct non-allowlisted globals in this file are not listed one by one.",
    },
  },
});

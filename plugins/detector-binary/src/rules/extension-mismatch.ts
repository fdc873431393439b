import { CWE_434, CWE_646, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "extension-mismatch",
  meta: {
    description:
      "The content contradicts the file name: a pickle or an executable under the name of a data-only format is a disguise; other disagreements are worth a look.",
    severity: "warning",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load the file by its name's format; treat it as what its content is, and ask the publisher why it was renamed.",
    references: [CWE_434, CWE_646, OWASP_ML06],
    messages: {
      contentContradictsName: "{{name}} holds {{content}} content, not {{promises}} as its name says",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-binary#extension-mismatch",
    },
  },
});

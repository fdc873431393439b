import { CWE_494, CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "external-repository",
  meta: {
    description:
      "The model's config maps an auto class to code in another repository: loading it with trust_remote_code downloads and runs that repository's code, which can change after this one was scanned.",
    severity: "warning",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load with trust_remote_code unless you have reviewed the referenced repository at a pinned revision; prefer a copy of the code inside this repository or a built-in architecture.",
    references: [CWE_829, CWE_494, OWASP_ML06],
    messages: {
      externalRepository: "{{key}} loads code from another repository: {{target}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-remote-code#external-repository",
    },
  },
});

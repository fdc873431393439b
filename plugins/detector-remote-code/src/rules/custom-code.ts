import { CWE_94, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "custom-code",
  meta: {
    description:
      "The model needs trust_remote_code: loading it runs Python code shipped beside the weights. That code is judged by the other detectors; this note records that it will run.",
    severity: "info",
    confidence: 1,
    recommended: true,
    remediation: "Review the referenced Python files before loading with trust_remote_code=True.",
    references: [CWE_94],
    messages: {
      customCode: "{{key}} runs custom code: {{target}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-remote-code#custom-code" },
  },
});

import { CWE_506, CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "embedded-executable",
  meta: {
    description:
      "A native executable or shared library (ELF, PE, Mach-O) or a shebang script is carried inside a model file or archive.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation:
      "Model files never need native programs; do not run or extract this file, and find out who added the executable.",
    references: [CWE_506, CWE_829, OWASP_ML06],
    messages: {
      executableAtStart: "{{name}} is native code: {{format}} {{kind}} ({{architecture}})",
      executableInside: "{{format}} {{kind}} header ({{architecture}}) at offset {{offset}} inside {{name}}",
      shebangScript: "{{name}} is a script for {{interpreter}} (starts with #!)",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-binary#embedded-executable",
    },
  },
});

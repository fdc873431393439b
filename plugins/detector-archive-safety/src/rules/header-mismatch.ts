import { CWE_436, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "header-mismatch",
  meta: {
    description:
      "Two copies of an archive's metadata disagree (zip local header vs central directory): parsers that read different copies see different files.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Treat the archive as tampered; rebuild it with a standard tool from trusted files.",
    references: [CWE_436],
    messages: {
      nameMismatch: "member {{name}} is named {{localName}} in its local header",
      anomaly: "archive headers disagree: {{reason}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#header-mismatch",
    },
  },
});

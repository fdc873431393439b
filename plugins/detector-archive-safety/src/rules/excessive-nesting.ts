import { CWE_409, CWE_674, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "excessive-nesting",
  meta: {
    description:
      "Archives are nested deeper than real model packaging needs (zip in zip in zip...), a way to hide content and exhaust scanners.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation: "Unpack the nesting by hand in a sandbox, or rebuild the package with a flat layout.",
    references: [CWE_409, CWE_674],
    messages: {
      tooDeep: "archive nested {{depth}} levels deep (threshold {{maxNesting}})",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#excessive-nesting",
    },
  },
});

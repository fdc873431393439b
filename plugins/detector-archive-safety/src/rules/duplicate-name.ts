import { CWE_436, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "duplicate-name",
  meta: {
    description:
      "Two members of one archive have the same normalised name: extraction tools disagree on which one wins, so a scan may see a different file than the loader.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Rebuild the archive with unique member names.",
    references: [CWE_436],
    messages: {
      duplicate: "member name {{name}} appears more than once (first as {{first}})",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#duplicate-name",
    },
  },
});

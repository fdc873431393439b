import { CWE_400, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "excessive-entries",
  meta: {
    description:
      "One archive holds more members than any model needs, a way to exhaust the tools that list or extract it.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation: "Check why the archive holds so many members; repackage the model with only the files it needs.",
    references: [CWE_400],
    messages: {
      tooManyEntries: "the archive holds more than {{maxEntries}} members",
      listingStopped: "the archive lists more members than the scanner will read: {{reason}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#excessive-entries",
    },
  },
});

import { CWE_400, CWE_409, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "decompression-bomb",
  meta: {
    description:
      "A large member declares a compression ratio or an uncompressed size far beyond real model data, or the handler had to stop decompressing a large, highly compressed output; small zero-filled members are not bombs.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Do not extract or load this archive; it would exhaust disk or memory. Obtain the model from a trusted source.",
    references: [CWE_409, CWE_400],
    messages: {
      highRatio: "member {{name}} expands {{ratio}}:1 ({{compressedSize}} to {{size}} bytes; threshold {{maxRatio}}:1)",
      hugeSize: "member {{name}} declares {{size}} bytes uncompressed (threshold {{maxSize}})",
      decodingStopped: "decompression stopped at a limit: {{reason}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#decompression-bomb",
    },
  },
});

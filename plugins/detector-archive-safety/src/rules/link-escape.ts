import { CWE_22, CWE_59, CWE_61, defineRule } from "@modelaudit/core";

export default defineRule({
  name: "link-escape",
  meta: {
    description:
      "A symlink or hardlink member points outside the extraction directory (absolute target, system path, or `..` past the root).",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not extract this archive; links in model archives are not needed and can overwrite or expose system files.",
    references: [CWE_59, CWE_61, CWE_22],
    messages: {
      absoluteTarget: "{{type}} {{name}} points to the absolute path {{target}}",
      systemTarget: "{{type}} {{name}} points into the system path {{target}}",
      escapingTarget: "{{type}} {{name}} points to {{target}}, outside the extraction directory",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#link-escape",
    },
  },
});

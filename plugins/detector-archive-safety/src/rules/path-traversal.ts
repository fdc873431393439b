import { CWE_22, CWE_23, CWE_36, defineRule, link } from "@modelaudit/core";

export default defineRule({
  name: "path-traversal",
  meta: {
    description:
      "An archive member name leaves the extraction directory: `..` segments, absolute paths, drive letters or UNC paths (zip slip).",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation:
      "Do not extract this archive with a tool that trusts member names; rebuild it from trusted files with relative names.",
    references: [CWE_22, CWE_23, CWE_36, link("https://security.snyk.io/research/zip-slip-vulnerability")],
    messages: {
      parentSegments: "member {{name}} climbs out of the extraction directory with '..' segments",
      parentSegmentsInside: "member {{name}} uses '..' segments (it stays inside the extraction directory)",
      absolutePath: "member {{name}} has an absolute path",
      driveLetter: "member {{name}} starts with a Windows drive letter",
      uncPath: "member {{name}} is a UNC network path",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-archive-safety#path-traversal",
    },
  },
});

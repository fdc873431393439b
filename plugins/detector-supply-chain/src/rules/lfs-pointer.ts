import { CWE_494, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "lfs-pointer",
  meta: {
    description:
      "The file is a Git LFS pointer (a few lines naming the real file's SHA-256 and size), not the model: the repository was cloned without `git lfs pull`, so the weights were never downloaded and the scan says nothing about them.",
    severity: "warning",
    confidence: 1,
    recommended: true,
    remediation:
      "Run `git lfs pull` (or clone with Git LFS installed) and scan the downloaded files; in CI, fetch LFS objects before the scan step.",
    references: [OWASP_ML06, CWE_494, link("https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md")],
    messages: {
      lfsPointer:
        "this file is a Git LFS pointer, not the model: the weights were never downloaded, so this scan says nothing about them (object sha256:{{oid}}, {{size}} bytes)",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#lfs-pointer" },
  },
});

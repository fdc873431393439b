import { CWE_354, CWE_494, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "hash-mismatch",
  meta: {
    description:
      "options.expectedSha256 pins the digest of files matching a path pattern, and this file's SHA-256 differs: the model was modified or substituted after it was pinned (a Git LFS pointer that names the pinned object is only a warning: the weights are missing, not changed).",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation:
      "Do not load the file: fetch it again from the source you pinned and compare digests; update the pin only after reviewing why the model changed.",
    references: [OWASP_ML06, CWE_494, CWE_354],
    messages: {
      mismatch:
        "the file's SHA-256 is {{actual}}, but {{pattern}} pins {{expected}}: the file was modified or substituted",
      pointerToPinned:
        "{{pattern}} pins {{expected}}, but this file is a Git LFS pointer to that object: the pinned weights were never downloaded",
      pointerToOther:
        "{{pattern}} pins {{expected}}, but this file is a Git LFS pointer to another object, sha256:{{oid}}: the repository's model was substituted",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#hash-mismatch",
    },
  },
});

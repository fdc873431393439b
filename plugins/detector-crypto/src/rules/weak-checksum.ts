import { CWE_327, CWE_328, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "weak-checksum",
  meta: {
    description:
      "An integrity field in a config or manifest, or a checksum file shipped with the model (MD5SUMS, *.sha1), checks the model with MD5 or SHA-1. Both are broken for collisions: an attacker can make a malicious file with the same digest, so the check does not stop substitution. A digest of training data (`dataset_md5`) is only a note. Moved from supply-chain/weak-checksum.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Record and verify SHA-256 (or SHA-512) digests instead, and pin them with the supply-chain detector's options.expectedSha256 for the files you scan.",
    references: [CWE_328, CWE_327, OWASP_ML06],
    messages: {
      weakChecksum: "{{key}} checks integrity with {{algorithm}}, a broken hash",
      dataChecksum: "{{key}} records an {{algorithm}} digest of training data (a note: it does not check the model)",
      checksumFile: "the checksum file lists {{file}} with an {{algorithm}} digest, a broken hash",
      more: "{{count}} more weak integrity digests in this artifact",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#weak-checksum" },
  },
});

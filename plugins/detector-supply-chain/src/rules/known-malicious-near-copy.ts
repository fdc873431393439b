import { CWE_494, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "known-malicious-near-copy",
  meta: {
    description:
      "The file, or an archive member inside it, is a near-copy of a file a feed lists as malicious: their ssdeep (fuzzy) digests are alike, so a few changed bytes (another command in the payload, a renamed variable, appended data) do not hide a known sample. Needs feeds with an ssdeep column in the known-hash database; sources up to 4 MiB whose bytes were all read are compared. A similarity of 90 or more is critical, below that a warning.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Treat the file as the listed sample until shown otherwise: do not load it, compare it with the listed file, and find where it came from.",
    references: [OWASP_ML06, CWE_494, CWE_506],
    messages: {
      nearCopy:
        "{{what}} ssdeep digest is {{score}}% similar to that of a file listed malicious by {{source}} (SHA-256 {{sha256}})",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#known-malicious-near-copy",
    },
  },
});

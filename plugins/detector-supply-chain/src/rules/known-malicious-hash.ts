import { CWE_494, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "known-malicious-hash",
  meta: {
    description:
      "The SHA-256 of the file, or of an archive member inside it, is known malicious: on options.denySha256 or listed malicious by a feed imported into the known-hash database (`modelaudit hashdb import`). A Git LFS pointer whose object digest is listed is reported too, before anyone pulls it. Digests a feed lists as benign are recorded on the check, never used to silence a finding.",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation:
      "Do not load this file; delete it, find where it came from, and replace it with a copy from a trusted source whose digest you verify.",
    references: [OWASP_ML06, CWE_494, CWE_506],
    messages: {
      denied: "{{what}} SHA-256 {{sha256}} is on the deny list: {{reason}}",
      pointerToDenied: "this Git LFS pointer stands for a file on the deny list (SHA-256 {{sha256}}): {{reason}}",
      knownMalicious: "{{what}} SHA-256 {{sha256}} is listed malicious by {{source}}",
      pointerToKnownMalicious:
        "this Git LFS pointer stands for a file listed malicious by {{source}} (SHA-256 {{sha256}})",
      knownBenign: "{{what}} SHA-256 {{sha256}} is listed benign by {{source}} (recorded only: it silences nothing)",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#known-malicious-hash",
    },
  },
});

import { CWE_494, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "The file's SHA-256 is on a deny list: the built-in digests of published malicious model samples, or options.denySha256. A Git LFS pointer whose object digest is denied is reported too, before anyone pulls it.",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation:
      "Do not load this file; delete it, find where it came from, and replace it with a copy from a trusted source whose digest you verify.",
    references: [OWASP_ML06, CWE_494, CWE_506],
    messages: {
      denied: "the file's SHA-256 {{sha256}} is on the deny list: {{reason}}",
      pointerToDenied: "this Git LFS pointer stands for a file on the deny list (SHA-256 {{sha256}}): {{reason}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#known-malicious-hash",
    },
  },
});

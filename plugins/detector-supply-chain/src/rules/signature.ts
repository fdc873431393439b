import { CWE_494, cwe, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

const CWE_347 = cwe(347, "Improper Verification of Cryptographic Signature");

export default defineRule({
  name: "signature",
  meta: {
    description:
      "A signature that covers the file does not verify, or vouches for other bytes than the scan read: an OpenSSF model-signing bundle (`model.sig`, Sigstore, verified offline against a trusted root, with the signer's identity and issuer checked) or a detached OpenPGP signature (`<file>.sig`/`.asc`) against keys the user gave. When options.signatures.required is set, a file no valid signature covers is a warning. A valid signature is a passed check that names the signer.",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation:
      "Do not load the model: fetch it again from its publisher and verify the signature; if you changed the files yourself, sign them again. For unsigned files, ask the publisher for a signature or sign the model you vetted.",
    references: [OWASP_ML06, CWE_494, CWE_347, link("https://github.com/ossf/model-signing-spec")],
    messages: {
      invalid: "the {{kind}} signature {{signature}} does not verify: {{reason}}",
      changed:
        "the file's SHA-256 {{actual}} is not the {{expected}} that {{signature}} signs (signer {{signer}}): it changed after it was signed",
      unsigned: "no valid signature covers this file, and options.signatures.required is set",
      signedBy: "signed by {{signer}} ({{kind}} signature {{signature}})",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#signature" },
  },
});

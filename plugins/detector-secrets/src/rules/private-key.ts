import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "private-key",
  meta: {
    description:
      "A PEM-armoured private key (RSA, EC, DSA, OpenSSH, PKCS#8, PGP, encrypted or not) is embedded in the model.",
    severity: "critical",
    confidence: 0.97,
    recommended: true,
    remediation:
      "Treat the key as compromised: revoke or replace it wherever it is trusted, and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
      encryptedKey: "Encrypted {{kind}} in {{place}} (protected by a passphrase, still worth removing)",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#private-key" },
  },
});

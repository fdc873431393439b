import { CWE_312, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CWE_320, CWE_321 } from "../references.js";

export default defineRule({
  name: "key-beside-encrypted-weights",
  meta: {
    description:
      "Encrypted weights ship with the key that opens them: a key file (`*.key`, `key.bin`, `fernet.key`) in the same folder or archive as `*.enc`/`*.encrypted` weights, or a config, script or pickle that both names the encrypted weights and holds the key. The encryption protects nothing: whoever gets the model gets the plaintext weights.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Distribute the key separately from the weights (a key management service, a secret store, per-customer keys); remove the key file and rotate the key, since everyone who downloaded the model has it.",
    references: [CWE_320, CWE_321, CWE_312, OWASP_ML06],
    messages: {
      keyFileBeside: "key file {{key}} is shipped in the same {{where}} as encrypted weights {{encrypted}}",
      keyWithEncryptedWeights:
        "a hard-coded {{bytes}}-byte key ({{what}}) travels with encrypted weights {{encrypted}}: anyone with the model can decrypt them",
      more: "{{count}} more keys beside encrypted weights in this artifact",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#key-beside-encrypted-weights",
    },
  },
});

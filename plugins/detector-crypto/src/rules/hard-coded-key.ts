import { CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CWE_321, CWE_329 } from "../references.js";

export default defineRule({
  name: "hard-coded-key",
  meta: {
    description:
      "A cipher or MAC gets a key or IV written as a constant: a literal (or a module constant) passed to `AES.new`, `Fernet`, `AESGCM`, `algorithms.AES`, `modes.CBC` or `hmac.new` in Python or TorchScript code, a key or IV field holding hex or base64 key material in a config, or a key a pickle hands a cipher. Anyone who has the model has the key; a fixed IV makes equal plaintexts encrypt equally.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Load keys at run time from a key management service or the environment, never from the model's files; generate a fresh random IV or nonce for every encryption (os.urandom / secrets) and store it with the ciphertext.",
    references: [CWE_321, CWE_798, CWE_329, OWASP_ML06],
    messages: {
      hardCodedKey: "{{call}} is given a hard-coded {{bytes}}-byte key{{via}}",
      hardCodedIv: "{{call}} is given a hard-coded {{bytes}}-byte IV or nonce{{via}}",
      keyInConfig: "{{key}} holds a {{bytes}}-byte encryption key in the open",
      ivInConfig: "{{key}} holds a fixed {{bytes}}-byte IV or nonce",
      pickledKey: "the pickle calls {{call}} with a {{bytes}}-byte key written into the file",
      more: "{{count}} more hard-coded keys or IVs in this artifact",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#hard-coded-key" },
  },
});

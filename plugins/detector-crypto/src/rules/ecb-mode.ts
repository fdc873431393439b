import { CWE_327, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "ecb-mode",
  meta: {
    description:
      "A block cipher is used in ECB mode (`MODE_ECB`, `modes.ECB()`, `aes-128-ecb`, `AES/ECB/...`, PyCrypto's `AES.new(key)` with no mode), in code, a config or a pickle. ECB has no IV: equal blocks encrypt to equal blocks, so structure (and repeated weights) shows through the ciphertext, and blocks can be reordered undetected.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Use an authenticated mode with a random nonce per message (AES-GCM, ChaCha20-Poly1305, or Fernet) instead of ECB.",
    references: [CWE_327, OWASP_ML06],
    messages: {
      ecbInCode: "the code encrypts with {{mode}} (ECB: no IV, equal blocks encrypt equally)",
      defaultEcb: "{{call}} is called without a mode, which PyCrypto takes as ECB",
      ecbInConfig: "{{key}} selects {{mode}} (ECB: no IV, equal blocks encrypt equally)",
      pickledEcb: "the pickle uses {{call}} in ECB mode",
      more: "{{count}} more uses of ECB in this artifact",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#ecb-mode" },
  },
});

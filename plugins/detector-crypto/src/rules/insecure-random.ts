import { defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CWE_338 } from "../references.js";

export default defineRule({
  name: "insecure-random",
  meta: {
    description:
      "A key, token, nonce, salt or password is made with a non-cryptographic generator (`random`, `numpy.random`, `torch.rand*`): Mersenne Twister output can be predicted from a few hundred values, so the secret can be guessed.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Use the `secrets` module (secrets.token_bytes, secrets.token_urlsafe, secrets.choice) or os.urandom for anything secret.",
    references: [CWE_338, OWASP_ML06],
    messages: {
      insecureRandom: "a secret is made with {{generator}}, a non-cryptographic generator",
      more: "{{count}} more secrets made with non-cryptographic generators in this artifact",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#insecure-random" },
  },
});

import { defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CWE_336, CWE_337, CWE_338 } from "../references.js";

export default defineRule({
  name: "fixed-seed",
  meta: {
    description:
      "A generator is seeded with a constant (`random.seed(1234)`, `np.random.seed`, `torch.manual_seed`, `random.Random(42)`) or the clock in the same scope that makes a key, token, nonce, salt or password, or a pickle seeds the process-wide generator when it is loaded and then draws from it. Every such secret is predictable. Seeding for reproducible training is normal and is not reported; a pickle that only seeds is a note.",
    severity: "warning",
    confidence: 0.75,
    recommended: true,
    remediation:
      "Make secrets with the `secrets` module or os.urandom, which cannot be seeded; keep reproducibility seeds for training code only.",
    references: [CWE_336, CWE_337, CWE_338, OWASP_ML06],
    messages: {
      fixedSeed:
        "{{call}}({{seed}}) seeds {{generator}}, which makes a secret at line {{generatedAt}}: the secret is predictable",
      clockSeed:
        "{{call}}({{seed}}) seeds {{generator}} from the clock, and it makes a secret at line {{generatedAt}}: the secret is predictable",
      pickledSeededGeneration:
        "the pickle seeds {{call}}({{seed}}) and then calls {{generator}} when it is loaded: the value it makes is predictable",
      pickledSeed:
        "the pickle calls {{call}}({{seed}}) when it is loaded, fixing the seed of the loading process's generator (a note)",
      more: "{{count}} more fixed seeds behind secrets in this artifact",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-crypto#fixed-seed" },
  },
});

import type { CallFact, ImportFact } from "@modelaudit/core";
import { redact } from "@modelaudit/core/detector";

/**
 * Crypto seen in what a pickle does when it is loaded (format-pickle's `call` and `import` facts).
 * Everything a pickle passes is a constant written into the file, so a key it hands a cipher is
 * hard-coded by construction, and a seed it sets is fixed.
 */
export interface PickleVerdict {
  rule: "hard-coded-key" | "ecb-mode" | "fixed-seed";
  messageId: string;
  data: Record<string, string | number>;
  evidence: string;
  severity?: "info" | "warning";
  confidence?: number;
}

const CIPHER_MODULE = /^(?:Crypto|Cryptodome)\.Cipher\.(AES|DES3?|ARC2|ARC4|Blowfish|CAST|ChaCha20|Salsa20)$/;
const KEYED_CLASS = new Map([
  ["cryptography.fernet", new Set(["Fernet"])],
  [
    "cryptography.hazmat.primitives.ciphers.aead",
    new Set(["AESGCM", "AESCCM", "AESOCB3", "AESSIV", "ChaCha20Poly1305"]),
  ],
  [
    "cryptography.hazmat.primitives.ciphers.algorithms",
    new Set([
      "AES",
      "AES128",
      "AES256",
      "TripleDES",
      "Camellia",
      "Blowfish",
      "CAST5",
      "SEED",
      "SM4",
      "ARC4",
      "IDEA",
      "ChaCha20",
    ]),
  ],
]);
const MODES_MODULE = "cryptography.hazmat.primitives.ciphers.modes";
/** PyCryptodome's MODE_ECB constant. */
const PYCRYPTO_ECB = "1";

const SEEDERS = new Set([
  "random.seed",
  "random.Random",
  "numpy.random.seed",
  "numpy.random.mtrand.seed",
  "numpy.random.RandomState",
  "numpy.random.mtrand.RandomState",
  "numpy.random.default_rng",
  "torch.manual_seed",
  "torch.random.manual_seed",
  "torch.cuda.manual_seed",
  "torch.cuda.manual_seed_all",
]);
const GENERATORS =
  /^(?:random\.(?:getrandbits|randbytes|choice|choices|sample|randint|randrange|random|shuffle)|numpy\.random(?:\.mtrand)?\.(?:bytes|randint|choice|random_sample|rand)|torch\.(?:randint|randperm|rand|randn|randbytes)|uuid\.uuid[14])$/;

/** A constant a pickle passed, as format-pickle renders it: a number, a quoted str, `<N bytes>`. */
function constantArgument(rendered: string | undefined): { bytes: number; text: string } | null {
  if (rendered === undefined) return null;
  const bytes = /^<(\d+) bytes>$/.exec(rendered);
  if (bytes) return { bytes: Number(bytes[1]), text: rendered };
  if (/^".*"$/s.test(rendered)) {
    try {
      const text = JSON.parse(rendered) as string;
      return { bytes: text.length, text };
    } catch {
      return { bytes: rendered.length - 2, text: rendered.slice(1, -1) };
    }
  }
  return null;
}

/** Per pickle stream: seeds seen so far, so a later generation call is judged against them. */
export class PickleRandomness {
  private readonly seeds = new Map<string, { call: string; seed: string }>();
  private readonly generated = new Set<string>();

  /** Judges one call. `stream` tells streams of the same source apart. */
  judgeCall(fact: CallFact, stream: string): PickleVerdict[] {
    const { module, name } = fact.callee;
    if (module === null || name === null) return [];
    const callee = `${module}.${name}`;
    const args = fact.args ?? [];
    const verdicts: PickleVerdict[] = [];
    const cipher = CIPHER_MODULE.exec(module);
    if ((cipher && name === "new") || KEYED_CLASS.get(module)?.has(name)) {
      const key = constantArgument(args[0]);
      if (key && key.bytes >= 5) {
        verdicts.push({
          rule: "hard-coded-key",
          messageId: "pickledKey",
          data: { call: callee, bytes: key.bytes },
          // A str key is shown redacted; bytes are rendered by their length only.
          evidence: `${callee}(${/^<\d+ bytes>$/.test(key.text) ? key.text : redact(key.text, 2)}${args.length > 1 ? ", …" : ""})`,
        });
      }
      if (cipher && name === "new" && args[1] === PYCRYPTO_ECB) {
        verdicts.push({
          rule: "ecb-mode",
          messageId: "pickledEcb",
          data: { call: callee },
          evidence: `${callee}(…, ${args[1]})`,
        });
      }
    }
    if (module === MODES_MODULE && name === "ECB") {
      verdicts.push({ rule: "ecb-mode", messageId: "pickledEcb", data: { call: callee }, evidence: callee });
    }
    if (SEEDERS.has(callee) && args.length > 0 && /^-?\d+$|^"/.test(args[0] as string)) {
      this.seeds.set(stream, { call: callee, seed: args[0] as string });
    } else if (GENERATORS.test(callee)) {
      const seed = this.seeds.get(stream);
      if (seed && !this.generated.has(stream)) {
        this.generated.add(stream);
        verdicts.push({
          rule: "fixed-seed",
          messageId: "pickledSeededGeneration",
          data: { call: seed.call, seed: seed.seed, generator: callee },
          evidence: `${seed.call}(${seed.seed}) … ${callee}(${args.slice(0, 3).join(", ")})`,
        });
      }
    }
    return verdicts;
  }

  /** Seeds a stream set and never drew from: the process-wide generator stays seeded for whoever loads it. */
  unusedSeeds(): PickleVerdict[] {
    const verdicts: PickleVerdict[] = [];
    for (const [stream, seed] of this.seeds) {
      if (this.generated.has(stream)) continue;
      verdicts.push({
        rule: "fixed-seed",
        messageId: "pickledSeed",
        data: { call: seed.call, seed: seed.seed },
        evidence: `${seed.call}(${seed.seed})`,
        severity: "info",
        confidence: 0.5,
      });
    }
    return verdicts;
  }
}

/** A pickle that imports an ECB mode constant or class. */
export function judgeImport(fact: ImportFact): PickleVerdict | null {
  if (fact.module === null || fact.name === null) return null;
  const ecb =
    (CIPHER_MODULE.test(fact.module) && fact.name === "MODE_ECB") ||
    (fact.module === MODES_MODULE && fact.name === "ECB");
  if (!ecb) return null;
  const imported = `${fact.module}.${fact.name}`;
  return { rule: "ecb-mode", messageId: "pickledEcb", data: { call: imported }, evidence: imported };
}

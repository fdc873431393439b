import { redact } from "@modelaudit/core/detector";
import { ECB_CIPHER_NAME } from "./cipher-names.js";
import { callArguments, constantBindings, type Literal, literalValue, type PythonSource } from "./python-source.js";

/** What the code checks found: a rule, its message and the numbers behind it. */
export interface CodeVerdict {
  rule: "hard-coded-key" | "ecb-mode";
  messageId: string;
  data: Record<string, string | number>;
  line: number;
  evidence: string;
  /** The secret itself, for the engine's merging of a value seen in facts and bytes; never shown. */
  value?: string;
}

/** Block ciphers whose PyCrypto `new(key)` without a mode is ECB. */
const DEFAULT_ECB = new Set(["AES", "DES", "DES3", "ARC2", "Blowfish", "CAST"]);

interface Constructor {
  pattern: RegExp;
  /** Where the key is: positional index and keyword names. */
  key?: { position: number; keywords: string[] };
  /** Where an IV or nonce is. */
  iv?: { position: number; keywords: string[] };
  /** PyCryptodome's `new(key, mode, iv)`: the mode is the second argument. */
  mode?: { position: number; keywords: string[] };
}

// Cipher and MAC constructors of PyCryptodome/PyCrypto, `cryptography` and the standard library.
const CONSTRUCTORS: Constructor[] = [
  {
    pattern: /\b(AES|DES3?|ARC2|ARC4|Blowfish|CAST|ChaCha20(?:_Poly1305)?|Salsa20|XChaCha20)\.new\s*\(/g,
    key: { position: 0, keywords: ["key"] },
    iv: { position: 2, keywords: ["iv", "IV", "nonce", "initial_value"] },
    mode: { position: 1, keywords: ["mode"] },
  },
  {
    pattern: /\b(Fernet|AESGCM|AESCCM|AESOCB3|AESSIV|AESGCMSIV|ChaCha20Poly1305)\s*\(/g,
    key: { position: 0, keywords: ["key"] },
  },
  {
    pattern: /\balgorithms\.(AES|AES128|AES256|TripleDES|Camellia|Blowfish|CAST5|SEED|SM4|ARC4|IDEA|ChaCha20)\s*\(/g,
    key: { position: 0, keywords: ["key"] },
    iv: { position: 1, keywords: ["nonce"] },
  },
  {
    pattern: /\bmodes\.(CBC|CFB|CFB8|OFB|CTR|GCM|XTS)\s*\(/g,
    iv: { position: 0, keywords: ["initialization_vector", "nonce", "tweak"] },
  },
  { pattern: /\b(hmac|HMAC)\.new\s*\(/g, key: { position: 0, keywords: ["key"] } },
];

/** Shortest value taken as a key or IV: shorter literals are placeholders no cipher accepts. */
const MIN_SECRET_BYTES = 5;

/** Hard-coded keys and IVs passed to cipher constructors, and ECB modes, in Python or TorchScript. */
export function judgeCiphers(source: PythonSource): CodeVerdict[] {
  const verdicts: CodeVerdict[] = [];
  const constants = constantBindings(source);
  const resolve = (expression: string | undefined): { literal: Literal; name?: string } | null => {
    if (expression === undefined) return null;
    const direct = literalValue(expression);
    if (direct) return { literal: direct };
    const bound = constants.get(expression.trim())?.literal;
    return bound ? { literal: bound, name: expression.trim() } : null;
  };
  for (const statement of source.statements) {
    const { text, line } = statement;
    for (const cipherCall of CONSTRUCTORS) {
      cipherCall.pattern.lastIndex = 0;
      for (let match = cipherCall.pattern.exec(text); match; match = cipherCall.pattern.exec(text)) {
        const args = callArguments(text, match.index + match[0].length - 1);
        if (!args) continue;
        const callee = match[0].replace(/\s*\($/, "");
        const pick = (where: { position: number; keywords: string[] } | undefined) => {
          if (!where) return undefined;
          for (const keyword of where.keywords) if (args.keywords.has(keyword)) return args.keywords.get(keyword);
          return args.positional[where.position];
        };
        const key = resolve(pick(cipherCall.key));
        if (key && key.literal.length >= MIN_SECRET_BYTES) {
          verdicts.push(secretVerdict("hardCodedKey", callee, key, line));
        }
        const iv = resolve(pick(cipherCall.iv));
        if (iv && iv.literal.length >= MIN_SECRET_BYTES) verdicts.push(secretVerdict("hardCodedIv", callee, iv, line));
        const cipher = match[1] as string;
        if (cipherCall.mode && DEFAULT_ECB.has(cipher) && callee.endsWith(".new")) {
          const mode = pick(cipherCall.mode);
          if (mode === undefined && args.positional.length === 1) {
            verdicts.push({
              rule: "ecb-mode",
              messageId: "defaultEcb",
              data: { call: callee },
              line,
              evidence: text.slice(match.index, match.index + 120),
            });
          }
        }
      }
    }
    const ecb = /\b(?:[A-Za-z_]\w*\.)?MODE_ECB\b|\bmodes\.ECB\s*\(/.exec(text);
    if (ecb) {
      verdicts.push({
        rule: "ecb-mode",
        messageId: "ecbInCode",
        data: { mode: ecb[0].replace(/\s*\($/, "") },
        line,
        evidence: text.slice(0, 160),
      });
      continue;
    }
    for (const quoted of text.matchAll(/(["'])([\w/-]{3,40})\1/g)) {
      if (ECB_CIPHER_NAME.test(quoted[2] as string)) {
        verdicts.push({
          rule: "ecb-mode",
          messageId: "ecbInCode",
          data: { mode: quoted[2] as string },
          line,
          evidence: text.slice(0, 160),
        });
        break;
      }
    }
  }
  return verdicts;
}

function secretVerdict(
  messageId: "hardCodedKey" | "hardCodedIv",
  callee: string,
  found: { literal: Literal; name?: string },
  line: number,
): CodeVerdict {
  return {
    rule: "hard-coded-key",
    messageId,
    data: { call: callee, bytes: found.literal.length, via: found.name ? ` through ${found.name}` : "" },
    line,
    evidence: `${found.name ? `${found.name} = ` : ""}${redact(found.literal.written, 2)} (${found.literal.length} bytes)`,
    value: found.literal.written,
  };
}

import { CIPHER_KEY, CRYPTO_CONTEXT, ECB_CIPHER_NAME, isEncryptedFile, MODE_KEY } from "./cipher-names.js";

/**
 * Encryption settings in configs and metadata (text facts keyed by their JSON path): key material
 * and IVs written as values, and ECB named as the cipher or mode.
 */

/** A field that holds a key: `encryption_key`, `aes_key`, `encryption.key`, `security.decryption_key`. */
const NAMED_KEY_FIELD =
  /(?:^|[._\]])(?:encryption|decryption|aes|cipher|crypto|enc|dec|symmetric|master|wrapping|fernet|secret)_?key$/i;
const BARE_KEY_FIELD = /(?:^|[._\]])key$/i;
const IV_FIELD = /(?:^|[._\]])(?:iv|nonce|init(?:ialization)?_?vector)$/i;

const HEX = /^(?:0x)?([0-9a-fA-F]+)$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Bytes of key material a value decodes to (hex or base64), or null when it is not key material. */
export function keyMaterialBytes(value: string): number | null {
  const text = value.trim();
  const hex = HEX.exec(text);
  if (hex && (hex[1] as string).length % 2 === 0 && (hex[1] as string).length >= 16)
    return (hex[1] as string).length / 2;
  if (BASE64.test(text) && text.length >= 12 && text.length % 4 === 0) {
    // Words and identifiers (`AttentionMaskKey`) are not base64 keys: random base64 of key size all
    // but always holds a digit, a symbol or padding (a 16-byte key without one: about 1 in 100).
    if (!/[0-9+/=_-]/.test(text) || !/[a-z]/i.test(text)) return null;
    return (text.replace(/=+$/, "").length * 3) >> 2;
  }
  return null;
}

const KEY_SIZES = new Set([8, 16, 24, 32, 48, 64]);
const IV_SIZES = new Set([8, 12, 16, 24]);

export type ConfigVerdict =
  | { kind: "key"; field: "key" | "iv"; bytes: number }
  | { kind: "ecb"; name: string }
  | { kind: "encrypted-file"; name: string };

/** Judges one config string under its JSON path. */
export function judgeConfigValue(path: string, value: string): ConfigVerdict | null {
  const text = value.trim();
  if (text.length === 0 || text.length > 4096) return null;
  const cryptoContext = CRYPTO_CONTEXT.test(path);
  if (NAMED_KEY_FIELD.test(path) || (BARE_KEY_FIELD.test(path) && cryptoContext)) {
    const bytes = keyMaterialBytes(text);
    if (bytes !== null && KEY_SIZES.has(bytes)) return { kind: "key", field: "key", bytes };
  }
  if (IV_FIELD.test(path) && (cryptoContext || /(?:^|[._\]])(?:iv|initialization_vector)$/i.test(path))) {
    const bytes = keyMaterialBytes(text);
    if (bytes !== null && IV_SIZES.has(bytes)) return { kind: "key", field: "iv", bytes };
  }
  if (text.length <= 60 && ECB_CIPHER_NAME.test(text)) return { kind: "ecb", name: text };
  if (/^(?:MODE_)?ECB$/i.test(text) && (MODE_KEY.test(path) || (CIPHER_KEY.test(path) && cryptoContext))) {
    return { kind: "ecb", name: text };
  }
  if (text.length <= 512 && !/\s/.test(text) && isEncryptedFile(text)) return { kind: "encrypted-file", name: text };
  return null;
}

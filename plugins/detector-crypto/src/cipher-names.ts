/**
 * Cipher names as configs and code spell them (OpenSSL `aes-128-ecb`, Java `AES/ECB/PKCS5Padding`,
 * `des_ede3_ecb`), matched only when ECB is the mode.
 */
export const ECB_CIPHER_NAME =
  /^(?:aes|des|des3|3des|des-ede3?|tdes|tripledes|sm4|bf|blowfish|camellia|cast5?|idea|seed|rc2|aria)(?:[-_]?(?:128|192|256))?[-_/]ecb(?:[-_/][\w]+)?$/i;

/** Keys that name a cipher mode (`mode`, `cipher_mode`, `encryption.block_mode`). */
export const MODE_KEY = /(?:^|[._\]])(?:cipher_?|block_?|encryption_?|aes_?)?mode$/i;

/** A key that names a cipher or the encryption settings as a whole. */
export const CIPHER_KEY = /(?:^|[._\]])(?:cipher|algorithm|algo|encryption|transformation|cipher_?suite)$/i;

/** Path words that make a generic `key`, `iv` or `mode` field part of encryption settings. */
export const CRYPTO_CONTEXT = /encrypt|decrypt|cipher|crypt|aes|fernet|security|protect/i;

/** A file that holds encrypted weights: `model.safetensors.enc`, `weights.bin.encrypted`, `model.aes`. */
export const ENCRYPTED_FILE = /\.(?:enc|encrypted|aes|crypt|cpt)$|(?:^|[/._-])encrypted[_.-][^/]*$/i;

/**
 * A file that holds an encryption key: `model.key`, `key.bin`, `fernet.key`, `aes_key.hex`,
 * `decryption_key.txt`. Public keys and certificates are not secrets.
 */
export const KEY_FILE =
  /(?:^|[/\\])(?:[\w.-]*\.key|(?:[\w.-]*[_.-])?(?:key|aes_?key|enc(?:ryption)?_?key|decryption_?key|fernet_?key|secret_?key|model_?key)\.(?:bin|txt|hex|b64|base64|raw|dat|json))$/i;
const PUBLIC_KEY = /pub(?:lic)?|cert|\.crt$|\.pem$/i;

export function isKeyFile(path: string): boolean {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  return KEY_FILE.test(path) && !PUBLIC_KEY.test(base);
}

export function isEncryptedFile(path: string): boolean {
  return ENCRYPTED_FILE.test(path);
}

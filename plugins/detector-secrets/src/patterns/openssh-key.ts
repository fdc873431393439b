/**
 * The body of an `-----BEGIN OPENSSH PRIVATE KEY-----` block (`openssh-key-v1`, the format
 * `ssh-keygen` writes by default since OpenSSH 7.8). Its fixed header (the magic, the cipher and KDF
 * names, length fields full of zero bytes) encodes to base64 with long runs of `A`, so text
 * heuristics take a real key for a placeholder. Parsing the structure tells a key from a sketch of
 * one, and the public key inside shows whether the material is random.
 */

const MAGIC = "openssh-key-v1\0";
/** A key file holds one key in practice; ssh-keygen writes exactly one. */
const MAX_KEYS = 16;

export interface OpenSshKey {
  /** `none` for an unprotected key, else the cipher protecting it (`aes256-ctr`). */
  cipher: string;
  /** The key type of the first public key (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`). */
  keyType: string;
  /** The key material of the first public key blob (after its type name). */
  publicKey: Uint8Array;
}

class Reader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  u32(): number | undefined {
    if (this.offset + 4 > this.bytes.length) return undefined;
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }

  block(): Uint8Array | undefined {
    const length = this.u32();
    if (length === undefined || this.offset + length > this.bytes.length) return undefined;
    const block = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return block;
  }
}

const latin1 = new TextDecoder("latin1");

/** Parses the base64 body of an OpenSSH private key; undefined when it is not one. */
export function parseOpenSshKey(base64Body: string): OpenSshKey | undefined {
  const bytes = new Uint8Array(Buffer.from(base64Body, "base64"));
  if (latin1.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) return undefined;
  const reader = new Reader(bytes.subarray(MAGIC.length));
  const cipher = reader.block();
  const kdf = reader.block();
  const kdfOptions = reader.block();
  const count = reader.u32();
  if (!cipher || !kdf || !kdfOptions || count === undefined || count < 1 || count > MAX_KEYS) return undefined;
  const publicBlob = reader.block();
  if (!publicBlob) return undefined;
  const blobReader = new Reader(publicBlob);
  const keyType = blobReader.block();
  if (!keyType || keyType.length === 0 || keyType.length > 64) return undefined;
  const publicKey = publicBlob.subarray(4 + keyType.length);
  return { cipher: latin1.decode(cipher), keyType: latin1.decode(keyType), publicKey };
}

/** Key material that is not random (all one byte, a counting sequence, a handful of values) is a sketch. */
export function isRandomKeyMaterial(material: Uint8Array): boolean {
  if (material.length < 16) return false;
  const distinct = new Set(material).size;
  return distinct >= Math.min(16, material.length / 2);
}

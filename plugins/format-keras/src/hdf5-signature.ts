/**
 * The HDF5 format signature and a superblock sanity check done in TypeScript before any bytes reach
 * the HDF5 library: a file the library would only reject (or misread at great cost) is refused here
 * with a clear reason.
 */

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

function signatureAt(bytes: Uint8Array, offset: number): boolean {
  if (offset + HDF5_SIGNATURE.length > bytes.length) return false;
  return HDF5_SIGNATURE.every((byte, index) => bytes[offset + index] === byte);
}

/** The superblock offset: 0, or a user block of 512, 1024, 2048… bytes, within the bytes given. */
export function findSignature(head: Uint8Array): number | null {
  if (signatureAt(head, 0)) return 0;
  for (let offset = 512; offset + HDF5_SIGNATURE.length <= head.length; offset *= 2) {
    if (signatureAt(head, offset)) return offset;
  }
  return null;
}

export interface SuperblockCheck {
  ok: boolean;
  /** Why the file was refused, when it was. */
  reason?: string;
  code?: "truncated" | "malformed";
  version?: number;
}

/** Reads an unsigned little-endian integer of 1-8 bytes; null for the all-ones "undefined address". */
function readAddress(bytes: Uint8Array, offset: number, size: number): number | null {
  let value = 0n;
  let allOnes = true;
  for (let index = size - 1; index >= 0; index--) {
    const byte = bytes[offset + index]!;
    if (byte !== 0xff) allOnes = false;
    value = (value << 8n) | BigInt(byte);
  }
  if (allOnes) return null;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
}

/**
 * Checks the superblock at `base` (the signature offset) against the file size: a known version,
 * sane field sizes, and an end-of-file address the bytes present can satisfy.
 */
export function checkSuperblock(block: Uint8Array, base: number, fileSize: number): SuperblockCheck {
  const refuse = (code: "truncated" | "malformed", reason: string): SuperblockCheck => ({ ok: false, code, reason });
  if (block.length < 24) return refuse("truncated", "the HDF5 superblock is cut short");
  const version = block[8]!;
  let offsetSize: number;
  let lengthSize: number;
  let addressesAt: number;
  if (version === 0 || version === 1) {
    offsetSize = block[13]!;
    lengthSize = block[14]!;
    addressesAt = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    offsetSize = block[9]!;
    lengthSize = block[10]!;
    addressesAt = 12;
  } else {
    return refuse("malformed", `unknown HDF5 superblock version ${version}`);
  }
  const allowed = [2, 4, 8, 16, 32];
  if (!allowed.includes(offsetSize) || !allowed.includes(lengthSize)) {
    return refuse("malformed", `HDF5 superblock declares ${offsetSize}-byte offsets and ${lengthSize}-byte lengths`);
  }
  if (offsetSize > 8) return refuse("malformed", `HDF5 offsets of ${offsetSize} bytes are not supported`);
  // v0/1: base, free-space, end-of-file, driver addresses; v2/3: base, extension, end-of-file, root.
  const eofAt = addressesAt + 2 * offsetSize;
  if (block.length < eofAt + offsetSize) return refuse("truncated", "the HDF5 superblock is cut short");
  const baseAddress = readAddress(block, addressesAt, offsetSize);
  const endOfFile = readAddress(block, eofAt, offsetSize);
  if (endOfFile === null) return refuse("malformed", "the HDF5 end-of-file address is undefined");
  const start = baseAddress ?? base;
  if (start + endOfFile > fileSize) {
    return refuse(
      "truncated",
      `the HDF5 superblock says the file ends at byte ${start + endOfFile}, but only ${fileSize} bytes exist`,
    );
  }
  return { ok: true, version };
}

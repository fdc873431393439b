/**
 * Where libhdf5 looks for a file's superblock, and a superblock sanity check done in TypeScript
 * before any bytes reach the HDF5 library: a file the library would only reject (or misread at
 * great cost) is refused here with a clear reason.
 *
 * libhdf5 (H5FD_locate_signature) probes offset 0, then every power of two from 512 up to the
 * highest one below 2^bitLength(file size), and takes the FIRST offset holding the signature; the
 * bytes before it are a user block that any program (h5jam, h5py's userblock_size) may fill.
 */

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Power-of-two offsets stop at 2^62 (the 64-bit address space); sizes never come near. */
const MAX_PROBE_EXPONENT = 62;

export function signatureAt(bytes: Uint8Array, offset: number): boolean {
  if (offset < 0 || offset + HDF5_SIGNATURE.length > bytes.length) return false;
  return HDF5_SIGNATURE.every((byte, index) => bytes[offset + index] === byte);
}

/** Every offset libhdf5 probes for a file of `size` bytes, in its order (0, 512, 1024, ...). */
export function signatureOffsets(size: number): number[] {
  const offsets = [0];
  for (let exponent = 9; exponent <= MAX_PROBE_EXPONENT; exponent++) {
    const offset = 2 ** exponent;
    // libhdf5 stops below 2^bitLength(size), i.e. at offsets <= size; 8 bytes must fit to match.
    if (offset + HDF5_SIGNATURE.length > size) break;
    offsets.push(offset);
  }
  return offsets;
}

/** The first probed offset inside `head` that holds the signature (what libhdf5 takes), or null. */
export function findSignature(head: Uint8Array): number | null {
  return signatureOffsets(head.length).find((offset) => signatureAt(head, offset)) ?? null;
}

/**
 * Every probed offset of a source that holds the signature, in libhdf5's order; the first is the
 * one libhdf5 reads. At most ~50 reads of 8 bytes whatever the size.
 */
export async function locateSignatures(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  size: number,
): Promise<number[]> {
  const found: number[] = [];
  for (const offset of signatureOffsets(size)) {
    if (signatureAt(await read(offset, HDF5_SIGNATURE.length), 0)) found.push(offset);
  }
  return found;
}

export interface SuperblockCheck {
  ok: boolean;
  /** Why the file was refused, when it was. */
  reason?: string;
  code?: "truncated" | "malformed";
  version?: number;
  /** Bytes per address and per length field in this file. */
  offsetSize?: number;
  lengthSize?: number;
  /** The base address the superblock stores, when it differs from where it sits (libhdf5 ignores it). */
  storedBase?: bigint | null;
}

const ADDRESS_SPACE = 1n << 64n;
const UNDEFINED_ADDRESS = ADDRESS_SPACE - 1n;

/** Reads an unsigned little-endian integer of 1-8 bytes; null for the all-ones "undefined address". */
function readAddress(bytes: Uint8Array, offset: number, size: number): bigint | null {
  let value = 0n;
  let allOnes = true;
  for (let index = size - 1; index >= 0; index--) {
    const byte = bytes[offset + index]!;
    if (byte !== 0xff) allOnes = false;
    value = (value << 8n) | BigInt(byte);
  }
  return allOnes ? null : value;
}

/**
 * Checks the superblock at `base` (the signature offset) against the file size: a known version,
 * sane field sizes, and an end-of-file address the bytes present can satisfy. The end-of-file
 * address is absolute; like libhdf5 (H5F__super_read), a stored base address other than `base` is
 * overridden by `base` and the end of file shifted by the difference, in 64-bit unsigned arithmetic.
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
  const storedBase = readAddress(block, addressesAt, offsetSize);
  const storedEnd = readAddress(block, eofAt, offsetSize);
  if (storedEnd === null) return refuse("malformed", "the HDF5 end-of-file address is undefined");
  const actualBase = BigInt(base);
  const shift = (storedBase ?? UNDEFINED_ADDRESS) - actualBase;
  const end = (((storedEnd - shift) % ADDRESS_SPACE) + ADDRESS_SPACE) % ADDRESS_SPACE;
  if (end > BigInt(fileSize)) {
    return refuse(
      "truncated",
      `the HDF5 superblock says the file ends at byte ${end}, but only ${fileSize} bytes exist`,
    );
  }
  return { ok: true, version, offsetSize, lengthSize, ...(storedBase !== actualBase && { storedBase }) };
}

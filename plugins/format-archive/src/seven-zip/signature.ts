import { crc32 } from "../zip/crc32.js";

/** The six bytes every 7z archive starts with. */
export const SIGNATURE = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] as const;
const SIGNATURE_BYTES = Uint8Array.from(SIGNATURE);

/** Whether `bytes` start with the 7z signature. */
export function startsWithSignature(bytes: Uint8Array): boolean {
  return SIGNATURE.every((byte, index) => bytes[index] === byte);
}
const START_HEADER = 32;

/**
 * Where a 7z archive starts in `bytes` past offset 0: a signature whose start header checks (major
 * version 0, CRC32 of the 20 bytes after it). 7-Zip opens an archive behind a prefix this way (a
 * self-extracting stub, or bytes put in front to hide it); -1 when there is none.
 */
export function sevenZipAfterPrefix(bytes: Uint8Array): number {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = haystack.indexOf(SIGNATURE_BYTES, 1); at !== -1; at = haystack.indexOf(SIGNATURE_BYTES, at + 1)) {
    if (at + START_HEADER > bytes.length || bytes[at + 6] !== 0) continue;
    const stored = new DataView(bytes.buffer, bytes.byteOffset + at + 8, 4).getUint32(0, true);
    if (crc32(bytes.subarray(at + 12, at + START_HEADER)) === stored) return at;
  }
  return -1;
}

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

/** How far into an executable (or an `.exe`) a 7z archive is looked for: SFX stubs are well under this. */
export const DEEP_SEARCH_BYTES = 32 * 1024 * 1024;
const DEEP_CHUNK = 1024 * 1024;
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
const MZ_MAGIC = [0x4d, 0x5a] as const;
/** What the sniffer sees: the 7z signature behind a prefix longer than this is looked for by the parser. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/**
 * Sources where 7-Zip finds an archive at any offset: a self-extracting stub (an ELF or PE/MZ head,
 * whatever the name) or a file named `.exe` (7-Zip searches those for the signature), longer than the
 * sniffed head (the head itself is searched by the sniffer). Other files are never read twice.
 */
export function deepSearchCandidate(head: Uint8Array, extension: string, size: number): boolean {
  if (size <= SNIFF_HEAD_BYTES) return false;
  const executable =
    ELF_MAGIC.every((byte, index) => head[index] === byte) || MZ_MAGIC.every((byte, index) => head[index] === byte);
  return executable || extension === ".exe";
}

/**
 * A 7z start header at `at` of a chunk whose absolute offset is `base`: major version 0, the CRC32 of
 * the 20 bytes after it, and a next header (offset and size from the end of the start header) that
 * lies inside the file.
 */
function validStartHeader(chunk: Uint8Array, at: number, base: number, fileSize: number): boolean {
  if (at + START_HEADER > chunk.length || chunk[at + 6] !== 0) return false;
  const view = new DataView(chunk.buffer, chunk.byteOffset + at, START_HEADER);
  if (crc32(chunk.subarray(at + 12, at + START_HEADER)) !== view.getUint32(8, true)) return false;
  const offset = view.getUint32(12, true) + view.getUint32(16, true) * 2 ** 32;
  const size = view.getUint32(20, true) + view.getUint32(24, true) * 2 ** 32;
  return base + at + START_HEADER + offset + size <= fileSize;
}

/**
 * Searches the first DEEP_SEARCH_BYTES of a source, in chunks, for a 7z archive past offset 0 (as
 * 7-Zip opens an SFX). Returns its offset, or -1.
 */
export async function findSevenZipDeep(
  source: { size: number; read(offset: number, length: number): Promise<Uint8Array> },
  tick: () => void,
): Promise<number> {
  const end = Math.min(source.size, DEEP_SEARCH_BYTES);
  for (let base = 0; base < end; base += DEEP_CHUNK) {
    tick();
    // Overlapping by a start header, so one split across chunks is still seen whole.
    const chunk = await source.read(base, Math.min(DEEP_CHUNK + START_HEADER, source.size - base));
    const haystack = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = haystack.indexOf(SIGNATURE_BYTES); at !== -1; at = haystack.indexOf(SIGNATURE_BYTES, at + 1)) {
      if (at >= DEEP_CHUNK || base + at >= end) break;
      if (base + at > 0 && validStartHeader(chunk, at, base, source.size)) return base + at;
    }
  }
  return -1;
}

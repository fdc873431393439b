import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { findEndRecordOffset } from "./central-directory.js";
import { LOCAL_HEADER_SIGNATURE, view } from "./zip-records.js";

export const zipHandler: FormatHandler = {
  id: FORMATS.zip,
  description: "Zip archive (lenient random-access reader, PyTorch-compatible); members are scanned as nested sources",
  // A zip embedded in other bytes starts with its first local header.
  magic: [Uint8Array.of(0x50, 0x4b, 0x03, 0x04)],
  sniff: ({ head, tail, size, embedded }) => {
    if (embedded) return plausibleLocalHeader(head);
    if (head.length >= 4 && view(head).getUint32(0, true) === LOCAL_HEADER_SIGNATURE) return true;
    if (tail.length < 22) return false;
    return findEndRecordOffset(tail, size - tail.length, size) !== null;
  },
  // The reader (central directory, loader readings, member decoding) is imported on the first zip.
  parse: async (context) => (await import("./zip-parse.js")).parseZip(context),
};

/** Compression methods zip writers use (stored, deflate, bzip2, lzma, zstd, xz, AES). */
const KNOWN_METHODS = new Set([0, 8, 9, 12, 14, 93, 95, 99]);

/**
 * A local header whose fields all hold as a zip writer writes them, with a printable name: what a
 * zip hidden in other bytes shows, and what `PK\x03\x04` appearing by chance in random bytes does not.
 */
function plausibleLocalHeader(head: Uint8Array): boolean {
  if (head.length < 30) return false;
  const header = view(head);
  if (header.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) return false;
  const version = header.getUint16(4, true) & 0xff;
  const flags = header.getUint16(6, true);
  const nameLength = header.getUint16(26, true);
  if (version > 63 || (flags & 0xf794) !== 0 || !KNOWN_METHODS.has(header.getUint16(8, true))) return false;
  if (nameLength === 0 || nameLength > 1024 || 30 + nameLength > head.length) return false;
  for (let index = 30; index < 30 + nameLength; index++) {
    const byte = head[index] as number;
    if (byte < 0x20 || byte === 0x7f) return false;
  }
  return true;
}

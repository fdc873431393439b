import type { AnomalyFact, Source } from "@modelaudit/core";
import { crc32 } from "./crc32.js";
import {
  CENTRAL_HEADER_SIGNATURE,
  CENTRAL_HEADER_SIZE,
  decodeName,
  END_RECORD_SIZE,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  parseExtraFields,
  readUint64,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  view,
  ZIP64_END_SIGNATURE,
  ZIP64_END_SIZE,
  ZIP64_LOCATOR_SIGNATURE,
  ZIP64_LOCATOR_SIZE,
} from "./zip-records.js";

export interface EndRecord {
  /** Offset of the end-of-central-directory record in the source. */
  offset: number;
  /** Offset just after the record and its comment. */
  end: number;
  entryCount: number;
  centralSize: number;
  centralOffset: number;
  /** Where the central directory must end: the zip64 end record, or the classic end record. */
  centralEnd: number;
  zip64: boolean;
  /** The archive comment (free text a writer may put there), when not empty. */
  comment?: string;
}

export interface CentralEntry {
  index: number;
  name: string;
  versionMadeBy: number;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  externalAttributes: number;
  aesMethod?: number;
  /** Offset of this central header in the source. */
  headerOffset: number;
  type: "file" | "directory" | "symlink";
  /** The name's bytes as stored (a view of the directory). */
  nameBytes?: Uint8Array;
  /** How a loader that decodes names its own way spells this one, when that differs from `name`. */
  loaderName?: string;
  /**
   * The Info-ZIP Unicode Path name that unzip and 7-Zip extract the member as: set when the header name
   * is not flagged UTF-8 and the field's CRC matches the header name's bytes.
   */
  unicodePath?: string;
  /** The member's comment in its central header, when not empty. */
  comment?: string;
}

const MAX_TAIL = 0xffff + END_RECORD_SIZE;

/** Finds the end record in the last 64 KiB + 22 bytes, preferring one whose comment fits exactly. */
/** END_OF_CENTRAL_DIRECTORY_SIGNATURE as it sits in the file. */
const END_SIGNATURE_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export function findEndRecordOffset(tail: Uint8Array, tailStart: number, size: number): number | null {
  const data = view(tail);
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  let fallback: number | null = null;
  // Native search for "PK\x05\x06", last occurrence first (the tail of every scanned source is searched).
  for (
    let offset = bytes.lastIndexOf(END_SIGNATURE_BYTES, tail.length - END_RECORD_SIZE);
    offset >= 0;
    offset = offset === 0 ? -1 : bytes.lastIndexOf(END_SIGNATURE_BYTES, offset - 1)
  ) {
    const commentLength = data.getUint16(offset + 20, true);
    const end = tailStart + offset + END_RECORD_SIZE + commentLength;
    if (end === size) return tailStart + offset;
    if (end <= size && fallback === null) fallback = tailStart + offset;
  }
  return fallback;
}

export async function readEndRecord(
  source: Source,
  anomalies: AnomalyFact[],
  preloadedTail?: Uint8Array,
): Promise<EndRecord | null> {
  const tailStart = Math.max(0, source.size - MAX_TAIL);
  const tail =
    preloadedTail?.length === source.size - tailStart ? preloadedTail : await source.read(tailStart, MAX_TAIL);
  const offset = findEndRecordOffset(tail, tailStart, source.size);
  if (offset === null) return null;
  const data = view(tail.subarray(offset - tailStart));
  const commentStart = offset - tailStart + END_RECORD_SIZE;
  // The comment lies inside the tail: the record was found there and its comment ends at or before the end.
  const commentBytes = tail.subarray(commentStart, commentStart + data.getUint16(20, true));
  const record: EndRecord = {
    offset,
    end: offset + END_RECORD_SIZE + data.getUint16(20, true),
    entryCount: data.getUint16(10, true),
    centralSize: data.getUint32(12, true),
    centralOffset: data.getUint32(16, true),
    centralEnd: offset,
    zip64: false,
  };
  if (commentBytes.length > 0) record.comment = decodeName(commentBytes);
  if (data.getUint16(4, true) !== 0 || data.getUint16(6, true) !== 0) {
    anomalies.push({
      kind: "anomaly",
      code: "unusual-structure",
      message: "end record names a disk other than 0 (split or spanned archive)",
      location: { offset },
    });
  }
  const needsZip64 =
    record.entryCount === 0xffff || record.centralSize === 0xffffffff || record.centralOffset === 0xffffffff;
  if (offset >= ZIP64_LOCATOR_SIZE) {
    const locator = view(await source.read(offset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE));
    if (locator.byteLength === ZIP64_LOCATOR_SIZE && locator.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      let zip64Offset = readUint64(locator, 8);
      // With prepended data the locator's offset is too small by the same shift as everything else.
      const expected = offset - ZIP64_LOCATOR_SIZE - ZIP64_END_SIZE;
      if (!(await hasZip64End(source, zip64Offset)) && (await hasZip64End(source, expected))) zip64Offset = expected;
      if (await hasZip64End(source, zip64Offset)) {
        const end64 = view(await source.read(zip64Offset, ZIP64_END_SIZE));
        record.entryCount = readUint64(end64, 32);
        record.centralSize = readUint64(end64, 40);
        record.centralOffset = readUint64(end64, 48);
        record.centralEnd = zip64Offset;
        record.zip64 = true;
      } else {
        anomalies.push({
          kind: "anomaly",
          code: "malformed",
          message: "zip64 locator points at no zip64 end record",
          location: { offset: offset - ZIP64_LOCATOR_SIZE },
        });
      }
    }
  }
  if (needsZip64 && !record.zip64) {
    anomalies.push({
      kind: "anomaly",
      code: "malformed",
      message: "end record has zip64 markers but no zip64 end record",
      location: { offset },
    });
  }
  return record;
}

async function hasZip64End(source: Source, offset: number): Promise<boolean> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + ZIP64_END_SIZE > source.size) return false;
  const bytes = await source.read(offset, 4);
  return bytes.length === 4 && view(bytes).getUint32(0, true) === ZIP64_END_SIGNATURE;
}

/** Parses central headers from an in-memory central directory; stops at the first bad signature. */
export function parseCentralDirectory(
  directory: Uint8Array,
  directoryOffset: number,
  maxEntries: number,
  anomalies: AnomalyFact[],
): { entries: CentralEntry[]; stoppedEarly: boolean; consumed: number } {
  const data = view(directory);
  const entries: CentralEntry[] = [];
  let offset = 0;
  while (offset + CENTRAL_HEADER_SIZE <= directory.length) {
    if (data.getUint32(offset, true) !== CENTRAL_HEADER_SIGNATURE) break;
    if (entries.length >= maxEntries) return { entries, stoppedEarly: true, consumed: offset };
    const nameLength = data.getUint16(offset + 28, true);
    const extraLength = data.getUint16(offset + 30, true);
    const commentLength = data.getUint16(offset + 32, true);
    const nameStart = offset + CENTRAL_HEADER_SIZE;
    const next = nameStart + nameLength + extraLength + commentLength;
    if (next > directory.length) {
      anomalies.push({
        kind: "anomaly",
        code: "truncated",
        message: `central header ${entries.length} runs past the end of the central directory`,
        location: { offset: directoryOffset + offset },
      });
      break;
    }
    const nameBytes = directory.subarray(nameStart, nameStart + nameLength);
    const name = decodeName(nameBytes);
    const extra = parseExtraFields(directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength));
    let size = data.getUint32(offset + 24, true);
    let compressedSize = data.getUint32(offset + 20, true);
    let localOffset = data.getUint32(offset + 42, true);
    // Zip64 values appear in this order, each only when its classic field is still saturated. miniz
    // reads the first zip64 field only; zipfile reads every one in turn, so a later field only fills
    // what an earlier one left at 0xffffffff (where miniz fails): both land on the first field's values.
    for (const field of extra.zip64Fields) {
      let cursor = 0;
      const take = (): number | null => {
        if (cursor + 8 > field.byteLength) return null;
        const value = readUint64(field, cursor);
        cursor += 8;
        return value;
      };
      if (size === 0xffffffff) size = take() ?? size;
      if (compressedSize === 0xffffffff) compressedSize = take() ?? compressedSize;
      if (localOffset === 0xffffffff) localOffset = take() ?? localOffset;
    }
    if (extra.zip64Fields.length > 1) {
      anomalies.push({
        kind: "anomaly",
        code: "header-mismatch",
        message: `central header ${entries.length} (${JSON.stringify(name)}) has ${extra.zip64Fields.length} zip64 extra fields; loaders take the first`,
        location: { offset: directoryOffset + offset },
      });
    }
    const versionMadeBy = data.getUint16(offset + 4, true);
    const externalAttributes = data.getUint32(offset + 38, true);
    const entry: CentralEntry = {
      index: entries.length,
      name,
      versionMadeBy,
      flags: data.getUint16(offset + 8, true),
      method: data.getUint16(offset + 10, true),
      compressedSize,
      size,
      localOffset,
      externalAttributes,
      headerOffset: directoryOffset + offset,
      type: entryType(name, versionMadeBy, externalAttributes),
      nameBytes,
    };
    if (extra.aesMethod !== undefined) entry.aesMethod = extra.aesMethod;
    if (commentLength > 0) entry.comment = decodeName(directory.subarray(next - commentLength, next));
    // Extractors ignore the field when the header name is already flagged UTF-8.
    if (extra.unicodePath && (entry.flags & FLAG_UTF8) === 0 && extra.unicodePath.nameCrc === crc32(nameBytes)) {
      entry.unicodePath = extra.unicodePath.name;
    }
    entries.push(entry);
    offset = next;
  }
  return { entries, stoppedEarly: false, consumed: offset };
}

function entryType(name: string, versionMadeBy: number, attributes: number): CentralEntry["type"] {
  const host = versionMadeBy >>> 8;
  // Unix (3) and macOS (19) keep st_mode in the high 16 bits.
  if (host === 3 || host === 19) {
    const mode = (attributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) return "symlink";
    if (mode === S_IFDIR) return "directory";
  }
  if (name.endsWith("/") || name.endsWith("\\")) return "directory";
  if (host === 0 && (attributes & 0x10) !== 0) return "directory";
  return "file";
}

export function isEncryptedFlag(entry: CentralEntry): boolean {
  return (entry.flags & FLAG_ENCRYPTED) !== 0;
}

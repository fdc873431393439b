import type { Source } from "@modelaudit/core";
import type { CentralEntry } from "./central-directory.js";
import {
  decodeName,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
  parseExtraFields,
  readUint64,
  view,
} from "./zip-records.js";

const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;

export interface WalkResult {
  entries: CentralEntry[];
  stopReason: string | null;
  /** The local header the walk stopped at because nothing gives its data's length. */
  unsized?: { name: string; offset: number };
}

/**
 * With no end record (a truncated download, a stream-written zip cut short) the members can still be
 * found by walking local headers forward, as streaming extractors do. A member that stores its sizes
 * after the data (a data descriptor, as torch.save writes every member) is stepped over with the size
 * a central directory gives for that local header (`knownSizes`), which is where a streaming reader's
 * decoder or descriptor search ends for a well-formed member; without one the walk stops there.
 */
export async function walkLocalHeaders(
  source: Source,
  maxEntries: number,
  tick: () => void,
  start = 0,
  knownSizes: ReadonlyMap<number, number> = new Map(),
): Promise<WalkResult> {
  const entries: CentralEntry[] = [];
  let offset = start;
  while (offset + LOCAL_HEADER_SIZE <= source.size) {
    tick();
    if (entries.length >= maxEntries) return { entries, stopReason: `more than ${maxEntries} members` };
    const header = await source.read(offset, LOCAL_HEADER_SIZE);
    const data = view(header);
    if (header.length < LOCAL_HEADER_SIZE || data.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
      return { entries, stopReason: null };
    }
    const flags = data.getUint16(6, true);
    const nameLength = data.getUint16(26, true);
    const extraLength = data.getUint16(28, true);
    const variable = await source.read(offset + LOCAL_HEADER_SIZE, nameLength + extraLength);
    const name = decodeName(variable.subarray(0, nameLength));
    const extra = parseExtraFields(variable.subarray(nameLength));
    let compressedSize = data.getUint32(18, true);
    let size = data.getUint32(22, true);
    if (extra.zip64 && extra.zip64.byteLength >= 16) {
      if (size === 0xffffffff) size = readUint64(extra.zip64, 0);
      if (compressedSize === 0xffffffff) compressedSize = readUint64(extra.zip64, 8);
    }
    const descriptor = (flags & 0x0008) !== 0;
    if (descriptor && compressedSize === 0) {
      const dataStart = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
      const known = knownSizes.get(offset) ?? (await findDescriptor(source, dataStart, tick));
      if (known === null) {
        return {
          entries,
          stopReason: `member ${name} stores its size after the data; the walk cannot go past it`,
          unsized: { name, offset },
        };
      }
      compressedSize = known;
    }
    const entry: CentralEntry = {
      index: entries.length,
      name,
      versionMadeBy: 0,
      flags,
      method: data.getUint16(8, true),
      compressedSize,
      size,
      localOffset: offset,
      externalAttributes: 0,
      headerOffset: offset,
      type: name.endsWith("/") ? "directory" : "file",
    };
    if (extra.aesMethod !== undefined) entry.aesMethod = extra.aesMethod;
    entries.push(entry);
    let next = offset + LOCAL_HEADER_SIZE + nameLength + extraLength + compressedSize;
    if (descriptor) {
      // The plain size is in the descriptor too (the entry was built before it was known).
      if (size === 0) entry.size = await descriptorPlainSize(source, next);
      next += await descriptorLength(source, next);
    }
    if (!Number.isSafeInteger(next) || next <= offset)
      return { entries, stopReason: `member ${name} has an impossible size` };
    offset = next;
  }
  return { entries, stopReason: null };
}

/** A data descriptor: crc, compressed and plain size (4 or 8 bytes each), after an optional signature. */
async function descriptorLength(source: Source, offset: number): Promise<number> {
  if (!Number.isSafeInteger(offset) || offset + 4 > source.size) return 0;
  const signed = view(await source.read(offset, 4)).getUint32(0, true) === DATA_DESCRIPTOR_SIGNATURE;
  const short = signed ? 16 : 12;
  // Zip64 descriptors have 8-byte sizes: take the length after which the next record starts.
  for (const length of [short, short + 8]) {
    if (offset + length + 4 > source.size) continue;
    const after = view(await source.read(offset + length, 4)).getUint32(0, true);
    if ((after & 0xffff) === 0x4b50) return length;
  }
  return short;
}

/** How far a streaming reader searches for the descriptor of a member whose size no directory gives. */
const MAX_DESCRIPTOR_SEARCH = 64 * 1024 * 1024;
const SEARCH_CHUNK = 64 * 1024;
const DESCRIPTOR_BYTES = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/**
 * The data length of a member with a data descriptor, found as streaming readers of stored data find
 * it: the first descriptor signature whose compressed-size field equals its distance from the data.
 */
async function findDescriptor(source: Source, dataStart: number, tick: () => void): Promise<number | null> {
  const end = Math.min(source.size, dataStart + MAX_DESCRIPTOR_SEARCH);
  for (let chunk = dataStart; chunk < end; chunk += SEARCH_CHUNK) {
    tick();
    const bytes = await source.read(chunk, Math.min(SEARCH_CHUNK + 12, end + 12 - chunk));
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (
      let at = buffer.indexOf(DESCRIPTOR_BYTES);
      at >= 0 && at < SEARCH_CHUNK;
      at = buffer.indexOf(DESCRIPTOR_BYTES, at + 1)
    ) {
      if (at + 12 > bytes.length) break;
      const length = chunk + at - dataStart;
      if (view(bytes).getUint32(at + 8, true) === length) return length;
    }
  }
  return null;
}

async function descriptorPlainSize(source: Source, offset: number): Promise<number> {
  if (!Number.isSafeInteger(offset) || offset + 16 > source.size) return 0;
  const data = view(await source.read(offset, 16));
  const signed = data.getUint32(0, true) === DATA_DESCRIPTOR_SIGNATURE;
  return data.getUint32(signed ? 12 : 8, true);
}

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

/**
 * With no end record (a truncated download, a stream-written zip cut short) the members can still be
 * found by walking local headers forward. Stops where a size is unknown (data descriptor) or the
 * next signature is missing.
 */
export async function walkLocalHeaders(
  source: Source,
  maxEntries: number,
  tick: () => void,
  start = 0,
): Promise<{ entries: CentralEntry[]; stopReason: string | null }> {
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
    if ((flags & 0x0008) !== 0 && compressedSize === 0) {
      return { entries, stopReason: `member ${name} stores its size after the data; the walk cannot go past it` };
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
    const next = offset + LOCAL_HEADER_SIZE + nameLength + extraLength + compressedSize;
    if (!Number.isSafeInteger(next) || next <= offset)
      return { entries, stopReason: `member ${name} has an impossible size` };
    offset = next;
  }
  return { entries, stopReason: null };
}

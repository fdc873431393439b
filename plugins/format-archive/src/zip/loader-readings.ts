import type { Limits, Source } from "@modelaudit/core";
import { type CentralEntry, parseCentralDirectory } from "./central-directory.js";
import {
  CENTRAL_HEADER_SIZE,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  END_RECORD_SIZE,
  LOCAL_HEADER_SIZE,
  readUint64,
  view,
  ZIP64_END_SIGNATURE,
  ZIP64_END_SIZE,
  ZIP64_LOCATOR_SIGNATURE,
  ZIP64_LOCATOR_SIZE,
} from "./zip-records.js";
import { zipfileName } from "./zipfile-names.js";

/**
 * How two real loaders find a zip's members, each re-implemented exactly enough to land on the same
 * bytes: miniz as PyTorch bundles it (`torch.load`) and CPython's `zipfile` (`numpy.load` on .npz,
 * Keras). Neither is lenient the way the main reader is; a reading that the loader would reject is a
 * failure, not a guess. Entries come back with absolute local-header offsets.
 */
export interface Reading {
  kind: "main" | "miniz" | "zipfile" | "walk";
  /** Who reads the archive this way, for messages. */
  loader: string;
  /** Where this loader's end record is. */
  endRecord: number;
  entries: CentralEntry[];
}

export type ReadingOutcome = { reading: Reading } | { failure: string; limit?: boolean };

/**
 * miniz scans backwards in 4096-byte chunks that step back 4093 bytes, and gives up after the first
 * chunk that starts at least 65,535 + 22 bytes from the end: the last chunk starts 69,584 bytes from it.
 */
export const MINIZ_WINDOW = 4096 + 16 * 4093;
const MINIZ_CHUNK = 4096;
const MINIZ_STEP = 4093;
/** zipfile searches the last 64 KiB + 22 bytes. */
const ZIPFILE_WINDOW = (1 << 16) + END_RECORD_SIZE;

const END_SIGNATURE_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * miniz (`mz_zip_reader_locate_header_sig`): the last end-record signature with at least 22 bytes
 * after it, searched chunk by chunk from the end. Stepping back computes `offset - 4093` in unsigned
 * arithmetic, so once a step would go below zero the read at the wrapped offset fails and miniz finds
 * nothing (measured with torch 1.13: a zip followed by 4,250 to 7,500 bytes of anything fails to load).
 */
export function minizEndRecord(tail: Uint8Array, tailStart: number, size: number): number | null {
  if (size < END_RECORD_SIZE) return null;
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  let chunk = Math.max(size - MINIZ_CHUNK, 0);
  for (;;) {
    if (chunk < tailStart) return null;
    const last = Math.min(chunk + MINIZ_CHUNK, size) - 4;
    const from = Math.min(last, size - END_RECORD_SIZE) - tailStart;
    const found = from >= 0 ? bytes.lastIndexOf(END_SIGNATURE_BYTES, from) : -1;
    if (found >= 0 && tailStart + found >= chunk) return tailStart + found;
    if (chunk === 0 || size - chunk >= 0xffff + END_RECORD_SIZE) return null;
    chunk -= MINIZ_STEP;
    if (chunk < 0) return null;
  }
}

/**
 * zipfile (`_EndRecData`): the record at size - 22 when it has no comment, else the LAST signature in
 * the final 64 KiB + 22 bytes, and no archive at all when that one has fewer than 22 bytes after it.
 */
export function zipfileEndRecord(tail: Uint8Array, tailStart: number, size: number): number | null {
  if (size < END_RECORD_SIZE) return null;
  const data = view(tail);
  const fast = size - END_RECORD_SIZE - tailStart;
  if (
    fast >= 0 &&
    data.getUint32(fast, true) === END_OF_CENTRAL_DIRECTORY_SIGNATURE &&
    data.getUint16(fast + 20, true) === 0
  ) {
    return size - END_RECORD_SIZE;
  }
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  const lowest = Math.max(0, size - ZIPFILE_WINDOW);
  const found = bytes.lastIndexOf(END_SIGNATURE_BYTES);
  if (found < 0 || tailStart + found < lowest || size - (tailStart + found) < END_RECORD_SIZE) return null;
  return tailStart + found;
}

/** Reads the tail both loaders search (the larger window, miniz's). */
export interface LoaderTail {
  tail: Uint8Array;
  tailStart: number;
}

export async function readLoaderTail(source: Source): Promise<LoaderTail> {
  const tailStart = Math.max(0, source.size - MINIZ_WINDOW);
  return { tail: await source.read(tailStart, source.size - tailStart), tailStart };
}

interface DirectoryLocation {
  count: number;
  size: number;
  offset: number;
}

/** `mz_zip_reader_read_central_dir` and the per-entry checks it makes before anything is extracted. */
export async function readAsMiniz(source: Source, end: number, limits: Limits): Promise<ReadingOutcome> {
  const record = view(await source.read(end, END_RECORD_SIZE));
  let location: DirectoryLocation = {
    count: record.getUint16(10, true),
    size: record.getUint32(12, true),
    offset: record.getUint32(16, true),
  };
  let onDisk = record.getUint16(8, true);
  let thisDisk = record.getUint16(4, true);
  let directoryDisk = record.getUint16(6, true);
  if (end >= ZIP64_LOCATOR_SIZE + ZIP64_END_SIZE) {
    const locator = view(await source.read(end - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE));
    if (locator.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      // miniz takes the locator's offset literally: no shift for prepended data.
      const zip64Offset = readUint64(locator, 8);
      if (zip64Offset > source.size - ZIP64_END_SIZE) return { failure: "zip64 locator points past the end" };
      const zip64 = view(await source.read(zip64Offset, ZIP64_END_SIZE));
      if (zip64.getUint32(0, true) === ZIP64_END_SIGNATURE) {
        if (readUint64(zip64, 4) < ZIP64_END_SIZE - 12) return { failure: "zip64 end record too small" };
        if (locator.getUint32(16, true) !== 1) return { failure: "zip64 locator names several disks" };
        location = { count: readUint64(zip64, 32), size: readUint64(zip64, 40), offset: readUint64(zip64, 48) };
        onDisk = readUint64(zip64, 24);
        thisDisk = zip64.getUint32(16, true);
        directoryDisk = zip64.getUint32(20, true);
        if (location.count > 0xffffffff || location.size > 0xffffffff)
          return { failure: "zip64 sizes over miniz's limits" };
      }
    }
  }
  if (location.count !== onDisk) return { failure: "entry counts disagree (multi-disk)" };
  if ((thisDisk | directoryDisk) !== 0 && (thisDisk !== 1 || directoryDisk !== 1))
    return { failure: "multi-disk archive" };
  if (location.size < location.count * CENTRAL_HEADER_SIZE)
    return { failure: "central directory too small for its entries" };
  if (location.offset + location.size > source.size) return { failure: "central directory runs past the end" };
  if (location.count > limits.maxMembers) return { failure: `more than ${limits.maxMembers} members`, limit: true };
  if (location.size > limits.maxInMemoryBytes)
    return { failure: "central directory over the in-memory limit", limit: true };
  const directory = await source.read(location.offset, location.size);
  const { entries } = parseCentralDirectory(directory, location.offset, location.count, []);
  if (entries.length < location.count) return { failure: "central directory holds fewer entries than declared" };
  for (const entry of entries) {
    const { compressedSize, size, flags } = entry;
    if (compressedSize !== 0xffffffff && size !== 0xffffffff) {
      // (miniz also rejects stored sizes that differ, but only when the 32 bits at the method field,
      // method and time together, are zero: not checked here, so this reading is never stricter.)
      if (size !== 0 && compressedSize === 0) return { failure: `${entry.name}: sizes miniz rejects` };
    }
    if (entry.localOffset + LOCAL_HEADER_SIZE + compressedSize > source.size) {
      return { failure: `${entry.name}: data runs past the end` };
    }
    // Bit 13: the local header is masked (central directory encryption).
    if ((flags & 0x2000) !== 0) return { failure: `${entry.name}: masked local header` };
  }
  return { reading: { kind: "miniz", loader: "torch.load (miniz)", endRecord: end, entries } };
}

/** `zipfile._RealGetContents`: zip64 records right before the end record, and the `concat` shift. */
export async function readAsZipfile(source: Source, end: number, limits: Limits): Promise<ReadingOutcome> {
  const record = view(await source.read(end, END_RECORD_SIZE));
  let size = record.getUint32(12, true);
  let offset = record.getUint32(16, true);
  let zip64 = false;
  if (end >= ZIP64_LOCATOR_SIZE) {
    const locator = view(await source.read(end - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE));
    if (locator.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      if (locator.getUint32(4, true) !== 0 || locator.getUint32(16, true) > 1) return { failure: "multi-disk zip64" };
      // zipfile ignores the locator's offset and assumes the zip64 record sits just before it.
      const at = end - ZIP64_LOCATOR_SIZE - ZIP64_END_SIZE;
      if (at >= 0) {
        const record64 = view(await source.read(at, ZIP64_END_SIZE));
        if (record64.getUint32(0, true) === ZIP64_END_SIGNATURE) {
          size = readUint64(record64, 40);
          offset = readUint64(record64, 48);
          zip64 = true;
        }
      }
    }
  }
  // Prepended data shifts every offset by the same amount; zipfile adds it to each of them.
  const concat = end - size - offset - (zip64 ? ZIP64_END_SIZE + ZIP64_LOCATOR_SIZE : 0);
  const start = offset + concat;
  if (!Number.isSafeInteger(start) || start < 0) return { failure: "bad offset for the central directory" };
  if (size > limits.maxInMemoryBytes) return { failure: "central directory over the in-memory limit", limit: true };
  const directory = await source.read(start, size);
  const { entries, stoppedEarly, consumed } = parseCentralDirectory(directory, start, limits.maxMembers, []);
  if (stoppedEarly) return { failure: `more than ${limits.maxMembers} members`, limit: true };
  if (consumed < size) return { failure: "central directory ends in a bad or truncated header" };
  for (const entry of entries) {
    entry.localOffset += concat;
    const spelled = zipfileName(entry.nameBytes ?? new Uint8Array(0), entry.flags);
    if (spelled === null) return { failure: `${entry.name}: flagged UTF-8 but is not` };
    // ZipInfo cuts a name at its first NUL (miniz keeps every byte): a different name for lookups.
    const nul = entry.name.indexOf("\u0000");
    if (nul >= 0) entry.name = entry.name.slice(0, nul);
    // Code page 437 versus UTF-8 only changes how non-ASCII names are spelled, not which member a
    // name finds: listed under zipfile's spelling too, compared under the common one.
    if (spelled !== entry.name) entry.loaderName = spelled;
  }
  // unzip picks the same end record and applies the same shift ("extra bytes at beginning").
  return { reading: { kind: "zipfile", loader: "zipfile (numpy.load, Keras) and unzip", endRecord: end, entries } };
}

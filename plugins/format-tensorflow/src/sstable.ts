import type { AnomalyCode } from "@modelaudit/core";
import { crc32c, unmaskCrc } from "./crc32c.js";
import { endsWithTableMagic, FOOTER_LENGTH, TABLE_MAGIC } from "./sstable-footer.js";
import { ProtoProblem, readVarint } from "./wire-reader.js";

/**
 * A reader for the immutable sorted tables (SSTables) TensorFlow writes checkpoint indexes in: its
 * copy of LevelDB's table format (tensorflow/core/lib/io/table_format.txt, LevelDB's
 * doc/table_format.md). Every block handle, entry length and restart offset is checked against the
 * bytes that exist; entries are walked in file order, which must be key order.
 */

/** The type byte and masked crc32c after every block. */
const TRAILER_LENGTH = 5;
const NO_COMPRESSION = 0;
const SNAPPY_COMPRESSION = 1;

export interface TableLimits {
  /** Entries across all data blocks. */
  maxEntries: number;
  /** Bytes in one key. */
  maxKeyLength: number;
}

export interface TableEntry {
  key: Uint8Array;
  /** A view of the table's bytes. */
  value: Uint8Array;
  /** Offset of the entry in the file, for locations. */
  offset: number;
}

/** A reason the table cannot be read (on), with the anomaly code it becomes. */
export class TableProblem extends Error {
  constructor(
    readonly code: AnomalyCode,
    message: string,
  ) {
    super(message);
    this.name = "TableProblem";
  }
}

interface BlockHandle {
  offset: number;
  size: number;
}

function varint(bytes: Uint8Array, position: number, end: number, what: string): { value: number; next: number } {
  let result: ReturnType<typeof readVarint>;
  try {
    result = readVarint(bytes, position, end);
  } catch (error) {
    if (error instanceof ProtoProblem) throw new TableProblem("malformed", `${what}: ${error.message}`);
    throw error;
  }
  if (!result) throw new TableProblem("truncated", `${what} at offset ${position} is cut short`);
  return result;
}

function blockHandle(bytes: Uint8Array, position: number, end: number, what: string): BlockHandle & { next: number } {
  const offset = varint(bytes, position, end, what);
  const size = varint(bytes, offset.next, end, what);
  return { offset: offset.value, size: size.value, next: size.next };
}

function compare(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** The contents of one block: checked against the bytes before the footer, its checksum, its type. */
function readBlock(bytes: Uint8Array, handle: BlockHandle, what: string): Uint8Array {
  const blocksEnd = bytes.length - FOOTER_LENGTH;
  if (handle.offset + handle.size + TRAILER_LENGTH > blocksEnd) {
    throw new TableProblem(
      "truncated",
      `${what} at offset ${handle.offset} (${handle.size} bytes and its trailer) runs past the ${blocksEnd} bytes before the footer`,
    );
  }
  const typeAt = handle.offset + handle.size;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + typeAt + 1, 4).getUint32(0, true);
  // TensorFlow's reader always verifies block checksums (table/format.cc, ReadBlock).
  if (crc32c(bytes, handle.offset, typeAt + 1) !== unmaskCrc(stored)) {
    throw new TableProblem("malformed", `${what} at offset ${handle.offset} fails its crc32c`);
  }
  const type = bytes[typeAt];
  if (type === SNAPPY_COMPRESSION) {
    throw new TableProblem(
      "unusual-structure",
      `${what} at offset ${handle.offset} is Snappy-compressed, which this reader does not decompress`,
    );
  }
  if (type !== NO_COMPRESSION) {
    throw new TableProblem("malformed", `${what} at offset ${handle.offset} has unknown block type ${type}`);
  }
  return bytes.subarray(handle.offset, typeAt);
}

/**
 * The entries of one block in order. Keys share a prefix with the previous key except at restart
 * points, which must sit on entry boundaries with nothing shared: a reader that seeks by restart
 * point (TensorFlow's lookup) then sees the same keys as one that walks the block.
 */
function* blockEntries(
  block: Uint8Array,
  base: number,
  limits: TableLimits,
  what: string,
): Generator<{ key: Uint8Array; value: Uint8Array; offset: number }> {
  if (block.length < 4)
    throw new TableProblem("malformed", `${what} at offset ${base} is shorter than its restart count`);
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  const restarts = view.getUint32(block.length - 4, true);
  if (restarts === 0 || restarts > (block.length - 4) / 4) {
    throw new TableProblem("malformed", `${what} at offset ${base} declares ${restarts} restart points`);
  }
  const dataEnd = block.length - 4 - restarts * 4;
  const restartOffsets = new Set<number>();
  for (let index = 0; index < restarts; index++) restartOffsets.add(view.getUint32(dataEnd + index * 4, true));
  let key = new Uint8Array(0);
  let position = 0;
  let seenRestarts = 0;
  while (position < dataEnd) {
    const at = `${what} entry at offset ${base + position}`;
    const shared = varint(block, position, dataEnd, at);
    const unshared = varint(block, shared.next, dataEnd, at);
    const valueLength = varint(block, unshared.next, dataEnd, at);
    const start = valueLength.next;
    if (shared.value > key.length) {
      throw new TableProblem("malformed", `${at} shares ${shared.value} bytes with a ${key.length}-byte key`);
    }
    if (unshared.value + valueLength.value > dataEnd - start) {
      throw new TableProblem(
        "truncated",
        `${at} declares ${unshared.value} key and ${valueLength.value} value bytes but ${dataEnd - start} remain`,
      );
    }
    if (shared.value + unshared.value > limits.maxKeyLength) {
      throw new TableProblem("limit-exceeded", `${at} has a key over ${limits.maxKeyLength} bytes`);
    }
    if (restartOffsets.has(position)) {
      seenRestarts++;
      if (shared.value !== 0) throw new TableProblem("malformed", `${at} is a restart point but shares a key prefix`);
    } else if (position === 0) {
      throw new TableProblem("malformed", `${what} at offset ${base} has no restart point at its first entry`);
    }
    const next = new Uint8Array(shared.value + unshared.value);
    next.set(key.subarray(0, shared.value));
    next.set(block.subarray(start, start + unshared.value), shared.value);
    key = next;
    const valueStart = start + unshared.value;
    yield { key, value: block.subarray(valueStart, valueStart + valueLength.value), offset: base + position };
    position = valueStart + valueLength.value;
  }
  if (seenRestarts !== restarts && dataEnd > 0) {
    throw new TableProblem("malformed", `${what} at offset ${base} has restart points that are not entry boundaries`);
  }
}

/**
 * Every entry of the table in order: the footer's index block names the data blocks, each is
 * checked and walked. Keys must rise strictly across the whole table (duplicates or disorder would
 * make a lookup and a walk disagree). Throws a TableProblem at the first thing that cannot be read.
 */
export function* tableEntries(
  bytes: Uint8Array,
  limits: TableLimits,
  checkDeadline: () => void,
): Generator<TableEntry> {
  if (bytes.length < FOOTER_LENGTH) {
    throw new TableProblem("truncated", `${bytes.length} bytes, shorter than the ${FOOTER_LENGTH}-byte table footer`);
  }
  if (!endsWithTableMagic(bytes)) {
    throw new TableProblem("malformed", "the footer does not end with the table magic number");
  }
  const footer = bytes.length - FOOTER_LENGTH;
  const footerEnd = bytes.length - TABLE_MAGIC.length;
  const metaindex = blockHandle(bytes, footer, footerEnd, "the footer's metaindex handle");
  const index = blockHandle(bytes, metaindex.next, footerEnd, "the footer's index handle");
  const indexBlock = readBlock(bytes, index, "the index block");
  let previous: Uint8Array | null = null;
  let count = 0;
  let blocks = 0;
  let blocksEnd = 0;
  for (const handleEntry of blockEntries(indexBlock, index.offset, limits, "the index block")) {
    blocks++;
    const handle = blockHandle(handleEntry.value, 0, handleEntry.value.length, "a data block handle");
    const what = `data block ${blocks}`;
    // Data blocks follow one another (TableBuilder appends them): an index naming one block many
    // times, or blocks that overlap, would have every byte checksummed and walked again and again.
    if (handle.offset < blocksEnd) {
      throw new TableProblem("malformed", `${what} at offset ${handle.offset} overlaps the block before it`);
    }
    blocksEnd = handle.offset + handle.size + TRAILER_LENGTH;
    checkDeadline();
    const block = readBlock(bytes, handle, what);
    for (const entry of blockEntries(block, handle.offset, limits, what)) {
      if (previous && compare(previous, entry.key) >= 0) {
        throw new TableProblem("malformed", `${what}: the entry at offset ${entry.offset} is out of key order`);
      }
      // The index key of a block is at least every key in it: otherwise a lookup would miss them.
      if (compare(entry.key, handleEntry.key) > 0) {
        throw new TableProblem("malformed", `${what}: the entry at offset ${entry.offset} sorts after its index key`);
      }
      count++;
      if (count > limits.maxEntries) {
        throw new TableProblem("limit-exceeded", `more than ${limits.maxEntries} entries; the rest were not read`);
      }
      if ((count & 1023) === 0) checkDeadline();
      previous = entry.key;
      yield entry;
    }
  }
}

import { Hdf5FormatError, type Hdf5Geometry, readAt, readLength, readUnsigned } from "./hdf5-object-header.js";

/**
 * The chunks of a chunked dataset, found by walking its version 1 B-tree (node type 1, the file
 * format specification, section III.A.1): every node and every chunk address is checked against
 * the bytes that exist, levels must descend by one, no node is visited twice, and the number of
 * nodes and chunks is bounded, so a hostile tree ends in a reason rather than a loop.
 */

export interface ChunkRecord {
  /** Address (relative to the superblock) of the stored, possibly filtered, chunk. */
  address: number;
  /** Stored bytes. */
  size: number;
  /** Bit i set: filter i of the pipeline was skipped for this chunk. */
  filterMask: number;
}

export interface ChunkGrid {
  shape: readonly number[];
  chunk: readonly number[];
  /** Chunks along each dimension. */
  counts: number[];
  total: number;
}

export const MAX_CHUNKS = 1 << 20;
const MAX_NODES = 1 << 16;
const MAX_LEVEL = 32;

export function chunkGrid(shape: readonly number[], chunk: readonly number[]): ChunkGrid {
  if (chunk.length !== shape.length) {
    throw new Hdf5FormatError(`chunks of rank ${chunk.length} for a dataspace of rank ${shape.length}`);
  }
  if (chunk.some((dimension) => dimension === 0)) throw new Hdf5FormatError("a chunk dimension is 0");
  const counts = shape.map((dimension, index) => Math.ceil(dimension / chunk[index]!));
  let total = 1;
  for (const count of counts) total *= count;
  if (!Number.isSafeInteger(total)) throw new Hdf5FormatError("the chunk grid is too large", "limit-exceeded");
  return { shape, chunk, counts, total };
}

/** Row-major index of the chunk whose first element is at `offsets` (element coordinates). */
function chunkNumber(grid: ChunkGrid, offsets: readonly number[]): number | null {
  let index = 0;
  for (let dimension = 0; dimension < grid.shape.length; dimension++) {
    const offset = offsets[dimension]!;
    const size = grid.chunk[dimension]!;
    if (offset % size !== 0 || offset >= grid.shape[dimension]!) return null;
    index = index * grid.counts[dimension]! + offset / size;
  }
  return index;
}

/**
 * Every allocated chunk of the tree at `root`, by row-major chunk number. `rank` is the dataspace
 * rank; keys carry one more offset (the element-size dimension, always 0).
 */
export async function walkChunkBTree(
  geometry: Hdf5Geometry,
  root: number,
  grid: ChunkGrid,
  checkDeadline: () => void,
): Promise<Map<number, ChunkRecord>> {
  const { offsetSize } = geometry;
  const rank = grid.shape.length;
  const keySize = 8 + 8 * (rank + 1);
  const chunks = new Map<number, ChunkRecord>();
  const visited = new Set<number>();
  const pending: { address: number; level: number | null }[] = [{ address: root, level: null }];
  while (pending.length > 0) {
    checkDeadline();
    const { address, level: expected } = pending.pop()!;
    if (visited.has(address)) throw new Hdf5FormatError(`chunk B-tree node at ${address} is reached twice (a loop)`);
    if (visited.size >= MAX_NODES)
      throw new Hdf5FormatError(`chunk B-tree has more than ${MAX_NODES} nodes`, "limit-exceeded");
    visited.add(address);
    const head = await readAt(geometry, address, 8 + 2 * offsetSize, "chunk B-tree node");
    if (String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!) !== "TREE") {
      throw new Hdf5FormatError(`chunk B-tree node at ${address} has no TREE signature`);
    }
    if (head[4] !== 1) throw new Hdf5FormatError(`B-tree node at ${address} is of type ${head[4]}, not a chunk node`);
    const level = head[5]!;
    if (level > MAX_LEVEL || (expected !== null && level !== expected)) {
      throw new Hdf5FormatError(
        `chunk B-tree node at ${address} has level ${level}, expected ${expected ?? `≤ ${MAX_LEVEL}`}`,
      );
    }
    const entries = readLength(head, 6, 2);
    const body = await readAt(
      geometry,
      address + head.length,
      entries * (keySize + offsetSize) + keySize,
      "chunk B-tree node",
    );
    for (let entry = 0; entry < entries; entry++) {
      const at = entry * (keySize + offsetSize);
      const child = readUnsigned(body, at + keySize, offsetSize);
      if (child === null) throw new Hdf5FormatError(`chunk B-tree node at ${address} has an undefined child`);
      if (level > 0) {
        pending.push({ address: child, level: level - 1 });
        continue;
      }
      const size = readLength(body, at, 4);
      const filterMask = readLength(body, at + 4, 4);
      const offsets: number[] = [];
      for (let dimension = 0; dimension < rank; dimension++) offsets.push(readLength(body, at + 8 + 8 * dimension, 8));
      const number = chunkNumber(grid, offsets);
      if (number === null) {
        throw new Hdf5FormatError(`chunk at [${offsets.join(", ")}] is not on the ${grid.chunk.join("×")} chunk grid`);
      }
      if (chunks.has(number)) throw new Hdf5FormatError(`chunk at [${offsets.join(", ")}] is listed twice`);
      if (chunks.size >= MAX_CHUNKS) throw new Hdf5FormatError(`more than ${MAX_CHUNKS} chunks`, "limit-exceeded");
      if (size === 0) throw new Hdf5FormatError(`chunk at [${offsets.join(", ")}] has size 0`);
      if (geometry.base + child + size > geometry.source.size) {
        throw new Hdf5FormatError(
          `chunk at [${offsets.join(", ")}] (address ${child}, ${size} bytes) lies past the end of the ${geometry.source.size}-byte file`,
          "truncated",
        );
      }
      chunks.set(number, { address: child, size, filterMask });
    }
  }
  return chunks;
}

import type { Source } from "@modelaudit/core";
import type { ChunkGrid, ChunkRecord } from "./hdf5-chunk-index.js";
import type { Hdf5Filter } from "./hdf5-dataset-messages.js";
import { decodeChunk } from "./hdf5-filters.js";
import { Hdf5FormatError, type Hdf5Geometry, readAt } from "./hdf5-object-header.js";

/**
 * A chunked dataset's elements in row-major order, as libhdf5 returns them for `dataset[...]`:
 * each read decodes only the chunks it touches. Chunks on the edge of the dataspace are stored
 * full size; only their in-bounds part is data. Chunks never written read as the fill value.
 * Decoded chunks are kept up to a byte budget, so reading in order decodes each chunk about once.
 */

export interface ChunkedDataset {
  name: string;
  geometry: Hdf5Geometry;
  grid: ChunkGrid;
  elementSize: number;
  filters: readonly Hdf5Filter[];
  chunks: ReadonlyMap<number, ChunkRecord>;
  /** One element's fill value; null reads as zeros. */
  fill: Uint8Array | null;
  chargeInflated(bytes: number): void;
  checkDeadline(): void;
}

const CACHE_BYTES = 32 * 1024 * 1024;

export class ChunkedSource implements Source {
  readonly name: string;
  readonly size: number;
  private readonly chunkElements: number;
  private readonly chunkBytes: number;
  /** Insertion order is recency: the first key is the least recently used. */
  private readonly cache = new Map<number, Uint8Array>();
  private cached = 0;
  /** Chunks already charged as inflated bytes: decoding one again after eviction is not new data. */
  private readonly charged = new Set<number>();

  constructor(private readonly dataset: ChunkedDataset) {
    this.name = dataset.name;
    let elements = 1;
    for (const dimension of dataset.grid.shape) elements *= dimension;
    this.size = elements * dataset.elementSize;
    this.chunkElements = dataset.grid.chunk.reduce((product, dimension) => product * dimension, 1);
    this.chunkBytes = this.chunkElements * dataset.elementSize;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new RangeError(`invalid read range ${offset}+${length}`);
    }
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(wanted);
    const { shape, chunk, counts } = this.dataset.grid;
    const size = this.dataset.elementSize;
    const rank = shape.length;
    const last = rank - 1;
    for (let filled = 0; filled < wanted; ) {
      const position = offset + filled;
      let rest = Math.floor(position / size);
      const intra = position % size;
      // The element's coordinates, then its chunk and its place inside that chunk.
      const coordinates = new Array<number>(rank);
      for (let dimension = last; dimension >= 0; dimension--) {
        coordinates[dimension] = rest % shape[dimension]!;
        rest = Math.floor(rest / shape[dimension]!);
      }
      let number = 0;
      let within = 0;
      for (let dimension = 0; dimension < rank; dimension++) {
        const coordinate = coordinates[dimension]!;
        const extent = chunk[dimension]!;
        number = number * counts[dimension]! + Math.floor(coordinate / extent);
        within = within * extent + (coordinate % extent);
      }
      // Elements left in this chunk's row: to the chunk's edge or the dataspace's, whichever is first.
      const lastCoordinate = coordinates[last]!;
      const run = Math.min(chunk[last]! - (lastCoordinate % chunk[last]!), shape[last]! - lastCoordinate);
      const take = Math.min(run * size - intra, wanted - filled);
      const data = await this.chunkData(number);
      if (data) {
        const start = within * size + intra;
        out.set(data.subarray(start, start + take), filled);
      } else if (this.dataset.fill) {
        for (let index = 0; index < take; index++) out[filled + index] = this.dataset.fill[(intra + index) % size]!;
      }
      filled += take;
    }
    return out;
  }

  /** The decoded chunk, or null when it was never written (it reads as the fill value). */
  private async chunkData(number: number): Promise<Uint8Array | null> {
    const hit = this.cache.get(number);
    if (hit) {
      this.cache.delete(number);
      this.cache.set(number, hit);
      return hit;
    }
    const record = this.dataset.chunks.get(number);
    if (!record) return null;
    this.dataset.checkDeadline();
    const stored = await readAt(this.dataset.geometry, record.address, record.size, `${this.name} chunk ${number}`);
    let decoded: Uint8Array;
    try {
      decoded =
        this.dataset.filters.length === 0
          ? stored
          : decodeChunk(stored, this.dataset.filters, record.filterMask, this.chunkBytes, this.dataset.elementSize);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Hdf5FormatError(`${this.name}: chunk ${number} (address ${record.address}): ${reason}`);
    }
    if (decoded.length !== this.chunkBytes) {
      throw new Hdf5FormatError(`${this.name}: chunk ${number} holds ${decoded.length} bytes, not ${this.chunkBytes}`);
    }
    if (this.dataset.filters.length > 0 && !this.charged.has(number)) {
      this.charged.add(number);
      this.dataset.chargeInflated(decoded.length);
    }
    this.cache.set(number, decoded);
    this.cached += decoded.length;
    for (const [key, value] of this.cache) {
      if (this.cached <= CACHE_BYTES || this.cache.size === 1) break;
      this.cache.delete(key);
      this.cached -= value.length;
    }
    return decoded;
  }
}

/** A dataset whose storage was never allocated: every element is the fill value. */
export class FillSource implements Source {
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly fill: Uint8Array | null,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(wanted);
    const fill = this.fill;
    if (fill) for (let index = 0; index < wanted; index++) out[index] = fill[(offset + index) % fill.length]!;
    return out;
  }
}

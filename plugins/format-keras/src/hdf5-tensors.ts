import { BufferSource, type ParseContext, type Source, type TensorFact } from "@modelaudit/core";
import { type ChunkRecord, chunkGrid, MAX_CHUNKS, walkChunkBTree } from "./hdf5-chunk-index.js";
import { ChunkedSource, FillSource } from "./hdf5-chunked-source.js";
import {
  type Hdf5Layout,
  type Hdf5Type,
  parseDataspace,
  parseDatatype,
  parseFillValue,
  parseFilters,
  parseLayout,
} from "./hdf5-dataset-messages.js";
import { unsupportedFilter } from "./hdf5-filters.js";
import { Hdf5FormatError, type Hdf5Geometry, MESSAGE, readObjectHeader } from "./hdf5-object-header.js";
import type { Hdf5Dataset } from "./hdf5-reader.js";

/**
 * Declares every dataset of an HDF5 file as a tensor: its element type, shape and where its
 * elements are. Contiguous and compact data are ranges of the file; chunked data is decoded here,
 * chunk by chunk, through a lazy source. A dataset whose elements cannot be located or read is
 * inconclusive, naming the dataset; it is still declared, with no data.
 */

/** What a dataset's elements come from: a range of the file, or a source decoded here. */
type Placement = { range: { offset: number; length: number } } | { source: Source };

export async function declareTensors(
  context: ParseContext,
  geometry: Hdf5Geometry,
  datasets: readonly Hdf5Dataset[],
  prefix: string,
): Promise<void> {
  // Hard links give one dataset several paths: one fact, the other paths as aliases.
  const byAddress = new Map<number | string, Hdf5Dataset[]>();
  for (const dataset of datasets) {
    const key = dataset.address ?? `unaddressed:${dataset.path}`;
    const group = byAddress.get(key);
    if (group) group.push(dataset);
    else byAddress.set(key, [dataset]);
  }
  for (const [first, ...others] of byAddress.values()) {
    const dataset = first!;
    const name = prefix + dataset.path.replace(/^\//, "");
    const aliases = others.map((other) => prefix + other.path.replace(/^\//, ""));
    try {
      context.checkDeadline();
      await declareTensor(context, geometry, dataset, name, aliases);
    } catch (error) {
      // Time and budget limits, and I/O failures, belong to the whole scan.
      if (!(error instanceof Hdf5FormatError)) throw error;
      context.emit({
        kind: "tensor",
        name,
        dtype: "opaque",
        formatDtype: dataset.dtype,
        shape: dataset.shape,
        byteOrder: "little",
        ...(aliases.length > 0 && { aliases }),
        location: { path: name },
      });
      const message = `HDF5 dataset ${name}: its data could not be located: ${error.message}`;
      // Broken or out-of-bounds structure is also an anomaly; a feature not read here is not.
      if (error.problem !== "unsupported") {
        context.emit({ kind: "anomaly", code: error.problem, message, location: { path: name } });
      }
      context.inconclusive(message);
    }
  }
}

async function declareTensor(
  context: ParseContext,
  geometry: Hdf5Geometry,
  dataset: Hdf5Dataset,
  name: string,
  aliases: string[],
): Promise<void> {
  if (dataset.address === null) throw new Hdf5FormatError("libhdf5 gave no object address", "unsupported");
  const messages = await readObjectHeader(geometry, dataset.address);
  const find = (type: number, what: string) => {
    const message = messages.find((candidate) => candidate.type === type);
    if (!message) throw new Hdf5FormatError(`the object header has no ${what} message`);
    return message;
  };
  const type = parseDatatype(find(MESSAGE.datatype, "datatype"));
  const shape = parseDataspace(find(MESSAGE.dataspace, "dataspace"), geometry.lengthSize) ?? [0];
  const layout = parseLayout(find(MESSAGE.layout, "data layout"), geometry.offsetSize, geometry.lengthSize);
  let elements = 1;
  for (const dimension of shape) elements *= dimension;
  const byteLength = elements * type.size;
  if (!Number.isSafeInteger(byteLength))
    throw new Hdf5FormatError(`shape [${shape.join(", ")}] is too large`, "limit-exceeded");
  const fact: TensorFact = {
    kind: "tensor",
    name,
    dtype: type.dtype,
    formatDtype: type.formatDtype,
    shape,
    byteOrder: type.byteOrder,
    ...(aliases.length > 0 && { aliases }),
    location: { path: name },
  };
  if (layout.kind === "virtual") {
    // A virtual dataset's elements are other datasets' elements: those in this file are declared
    // themselves, those in other files are reference facts (hdf5-reader.ts). Nothing here to read.
    context.emit(fact);
    return;
  }
  if (messages.some((message) => message.type === MESSAGE.externalFiles)) {
    throw new Hdf5FormatError("its elements are stored in external files", "unsupported");
  }
  const placement =
    byteLength === 0
      ? { source: new BufferSource(name, new Uint8Array(0)) }
      : await place(context, geometry, { name, type, shape, layout, byteLength, messages });
  if ("range" in placement) context.emit({ ...fact, data: placement.range });
  else context.emitTensor(fact, placement.source);
}

interface Layout {
  name: string;
  type: Hdf5Type;
  shape: number[];
  layout: Hdf5Layout;
  byteLength: number;
  messages: Awaited<ReturnType<typeof readObjectHeader>>;
}

async function place(context: ParseContext, geometry: Hdf5Geometry, dataset: Layout): Promise<Placement> {
  const { name, type, shape, layout, byteLength, messages } = dataset;
  const fill = fillValue(messages, type.size);
  if (layout.kind === "virtual") throw new Hdf5FormatError("a virtual dataset has no storage of its own");
  if (layout.kind === "compact" || layout.kind === "contiguous") {
    if (layout.size !== byteLength) {
      throw new Hdf5FormatError(`${layout.kind} storage holds ${layout.size} bytes, the elements ${byteLength}`);
    }
    if (layout.kind === "compact") return { range: { offset: layout.offset, length: byteLength } };
    if (layout.address === null) return { source: new FillSource(name, byteLength, fill) };
    const offset = geometry.base + layout.address;
    if (offset + byteLength > geometry.source.size) {
      throw new Hdf5FormatError(
        `contiguous data at address ${layout.address} (+${byteLength} bytes) lies past the end of the ${geometry.source.size}-byte file`,
        "truncated",
      );
    }
    return { range: { offset, length: byteLength } };
  }
  const filterMessage = messages.find((message) => message.type === MESSAGE.filterPipeline);
  const filters = filterMessage ? parseFilters(filterMessage) : [];
  const unsupported = unsupportedFilter(filters);
  if (unsupported)
    throw new Hdf5FormatError(`its chunks pass through ${unsupported}, which this reader does not undo`, "unsupported");
  const grid = chunkGrid(shape, layout.chunk);
  const chunkBytes = layout.chunk.reduce((product, dimension) => product * dimension, type.size);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes > context.limits.maxInMemoryBytes) {
    throw new Hdf5FormatError(
      `chunks of ${chunkBytes} bytes exceed the ${context.limits.maxInMemoryBytes}-byte in-memory bound`,
      "limit-exceeded",
    );
  }
  const index = layout.index;
  let chunks: Map<number, ChunkRecord>;
  if (index.type === "other")
    throw new Hdf5FormatError(
      `its chunks are indexed by a ${index.name}, which this reader does not walk`,
      "unsupported",
    );
  if (index.address === null) chunks = new Map();
  else if (index.type === "btree-v1") {
    chunks = await walkChunkBTree(geometry, index.address, grid, () => context.checkDeadline());
  } else if (index.type === "single") {
    if (grid.total !== 1) throw new Hdf5FormatError(`a single-chunk index for ${grid.total} chunks`);
    chunks = new Map([
      [0, { address: index.address, size: index.filteredSize ?? chunkBytes, filterMask: index.filterMask }],
    ]);
  } else {
    // Implicit index: unfiltered chunks one after another, in row-major chunk order.
    if (filters.length > 0) throw new Hdf5FormatError("an implicit chunk index with filters");
    if (grid.total > MAX_CHUNKS) throw new Hdf5FormatError(`more than ${MAX_CHUNKS} chunks`, "limit-exceeded");
    chunks = new Map();
    for (let number = 0; number < grid.total; number++) {
      chunks.set(number, { address: index.address + number * chunkBytes, size: chunkBytes, filterMask: 0 });
    }
  }
  for (const [number, chunk] of chunks) {
    if (geometry.base + chunk.address + chunk.size > geometry.source.size) {
      throw new Hdf5FormatError(
        `chunk ${number} at address ${chunk.address} (+${chunk.size} bytes) lies past the end of the file`,
        "truncated",
      );
    }
    if (filters.length === 0 && chunk.size !== chunkBytes) {
      throw new Hdf5FormatError(`unfiltered chunk ${number} stores ${chunk.size} bytes; a chunk holds ${chunkBytes}`);
    }
  }
  return {
    source: new ChunkedSource({
      name,
      geometry,
      grid,
      elementSize: type.size,
      filters,
      chunks,
      fill,
      chargeInflated: (bytes) => context.chargeInflated(bytes),
      checkDeadline: () => context.checkDeadline(),
    }),
  };
}

/** One element's fill value, or null for zeros. */
function fillValue(messages: Layout["messages"], elementSize: number): Uint8Array | null {
  const fill = parseFillValue(messages);
  if (!fill || fill.every((byte) => byte === 0)) return null;
  if (fill.length !== elementSize) {
    throw new Hdf5FormatError(`a fill value of ${fill.length} bytes for ${elementSize}-byte elements`);
  }
  return fill;
}

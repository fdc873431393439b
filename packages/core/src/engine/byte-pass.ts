import type { Origin, PrintableString } from "../plugin.js";
import type { Source } from "../source.js";
import type { FileHash } from "./file-hash.js";
import type { WindowDigests } from "./member-digests.js";
import { BlockScanJob, type ChunkBlocks, PrintableBlocks } from "./printable-blocks.js";
import { PrintableStringExtractor } from "./printable-strings.js";
import type { Range, SourceNode } from "./source-node.js";
import type { TensorFeed } from "./tensor-feed.js";

const CHUNK = 4 * 1024 * 1024;

/** Where the pass hands bytes: the engine's byte detectors and strings subscribers. */
export interface ByteSinks {
  /** Whether any detector takes raw bytes or printable strings. */
  readonly wantsBytes: boolean;
  onBytes(chunk: Uint8Array, offset: number, origin: Origin): void;
  onBytesEnd(origin: Origin): void;
  /** Null when no detector subscribes to strings. */
  onString: ((run: PrintableString, origin: Origin) => void) | null;
  checkDeadline(): void;
  /** A tensor whose data did not arrive in full. */
  incompleteTensor(feed: TensorFeed): void;
}

interface Segment {
  node: SourceNode;
  start: number;
  end: number;
  /** Sorted, merged ranges (root coordinates) whose bytes this segment does not get. */
  skip: Range[];
  strings: PrintableStringExtractor | null;
}

/**
 * The single pass over one root source (returns the bytes it read): every chunk is read once and handed to the hash (the file,
 * or a member that is a root of its own), to the hashes of the in-place members when member digests
 * are asked for, to the byte detectors of whichever in-place source it belongs to (the innermost: a parent
 * skips the ranges its in-place children stream), to the printable-strings channel, and to every
 * tensor whose data lies there.
 */
export async function runRootPass(
  root: SourceNode,
  sinks: ByteSinks,
  options: {
    hash: FileHash | undefined;
    skipTensorData: boolean;
    windows?: WindowDigests;
    /** Told the bytes read so far after each chunk: progress within a large file. */
    onRead?: (bytes: number) => void;
  },
): Promise<number> {
  const pass = root.rootPass;
  if (!pass || pass.done) return 0;
  pass.done = true;
  const segments: Segment[] = sinks.wantsBytes
    ? pass.segments
        .filter((node) => !node.headOnly)
        .map((node) => ({
          node,
          start: node.rootStart,
          end: node.rootStart + node.source.size,
          skip: merge(options.skipTensorData ? [...node.childRanges, ...node.tensorRanges] : node.childRanges),
          strings: sinks.onString ? stringsFor(node.origin, sinks.onString) : null,
        }))
        .sort((left, right) => left.start - right.start)
    : [];
  const feeds = [...pass.feeds].sort((left, right) => left.start - right.start);
  const windows = options.windows;
  if (!options.hash && !windows?.pendingAt(0) && segments.length === 0 && feeds.length === 0) return 0;

  const source = root.source;
  let nextSegment = 0;
  let nextFeed = 0;
  let activeSegments: Segment[] = [];
  let activeFeeds: { feed: TensorFeed; start: number }[] = [];
  // The next chunk is read while this one is processed; the hash (a thread of its own for large
  // files) runs beside the detectors and only holds the pass back when it falls behind.
  const reader = new ChunkReader(source, options.hash);
  // The strings channel's search of each chunk goes with it to the hashing thread, when that runs
  // on a thread of its own: it holds the chunk and idles while the detectors read it.
  const scans = options.hash?.threaded && segments.some((segment) => segment.strings) ? ChunkScans.create() : null;
  const strings: StringsPart[] = [];
  let reading = source.size > 0 ? reader.read(0) : null;
  let read = 0;
  for (let offset = 0; reading !== null; offset += CHUNK) {
    sinks.checkDeadline();
    const chunk = await reading;
    reading = chunk.length > 0 && offset + CHUNK < source.size ? reader.read(offset + CHUNK) : null;
    if (chunk.length === 0) break;
    const chunkEnd = offset + chunk.length;
    read = chunkEnd;
    options.onRead?.(read);
    while (nextSegment < segments.length && (segments[nextSegment] as Segment).start < chunkEnd) {
      activeSegments.push(segments[nextSegment++] as Segment);
    }
    const blocks = scans && wantsStrings(activeSegments, offset, chunkEnd) ? scans.open(chunk.length) : undefined;
    const hashing = options.hash?.update(chunk, blocks);
    const windowHashing = windows?.push(chunk, offset);
    const ending: Segment[] = [];
    if (activeSegments.length > 0) {
      activeSegments = activeSegments.filter((segment) => {
        feedSegment(segment, chunk, offset, sinks, strings);
        if (segment.end > chunkEnd) return true;
        ending.push(segment);
        return false;
      });
    }
    while (nextFeed < feeds.length && (feeds[nextFeed] as { start: number }).start < chunkEnd) {
      activeFeeds.push(feeds[nextFeed++] as { feed: TensorFeed; start: number });
    }
    if (activeFeeds.length > 0) {
      activeFeeds = activeFeeds.filter(({ feed, start }) => {
        const from = Math.max(offset, start + feed.byteLength - feed.remaining);
        const to = Math.min(chunkEnd, start + feed.byteLength);
        if (to > from) feed.push(chunk.subarray(from - offset, to - offset));
        if (feed.remaining > 0) return true;
        if (!feed.end()) sinks.incompleteTensor(feed);
        return false;
      });
    }
    // Strings after the tensors: by now the hashing thread has mostly found this chunk's blocks.
    const known = blocks && scans ? scans.take(chunk, strings.length > 0) : undefined;
    for (const { segment, part, at } of strings) segment.strings?.push(part, at, known);
    strings.length = 0;
    for (const segment of ending.sort(innerFirst)) endSegment(segment, sinks);
    if (hashing) await hashing;
    if (windowHashing) await windowHashing;
    if (
      nextSegment >= segments.length &&
      activeSegments.length === 0 &&
      !options.hash &&
      !windows?.pendingAt(chunkEnd)
    ) {
      if (nextFeed >= feeds.length && activeFeeds.length === 0) break;
    }
  }
  // The source ended early (or shrank): what is open ends incomplete.
  for (const segment of [...activeSegments, ...segments.slice(nextSegment)].sort(innerFirst))
    endSegment(segment, sinks);
  for (const { feed } of [...activeFeeds, ...feeds.slice(nextFeed)]) {
    if (!feed.end()) sinks.incompleteTensor(feed);
  }
  return read;
}

/**
 * Sequential chunks, each read begun before the last is processed. Sources that can read into a
 * buffer read into the hashing thread's shared buffers when it lends them (the hash then needs no
 * copy), else alternate between two of their own; either way a chunk is valid only until the read
 * after it begins (sinks copy what they keep), and a pass over gigabytes allocates nothing per chunk.
 */
class ChunkReader {
  private readonly buffers: Uint8Array[] = [];
  private turn = 0;

  constructor(
    private readonly source: Source,
    private readonly hash: FileHash | undefined,
  ) {}

  read(offset: number): Promise<Uint8Array> {
    const turn = this.turn++ % 2;
    const size = Math.min(CHUNK, this.source.size);
    // Made on first use: a source read in one chunk (every small file) needs one buffer, not two.
    if (this.source.readInto && !this.hash?.buffer && !this.buffers[turn]) this.buffers[turn] = new Uint8Array(size);
    const buffer = this.source.readInto && this.hash?.buffer ? this.hash.buffer(size) : this.buffers[turn];
    const reading =
      buffer && this.source.readInto
        ? this.source.readInto(buffer, offset).then((length) => buffer.subarray(0, length))
        : this.source.read(offset, CHUNK);
    // If the pass stops first, nobody awaits this read: its failure must not go unhandled.
    reading.catch(() => undefined);
    return reading;
  }
}

/** Hands a node's head (already read for sniffing) to the byte detectors: all that levels reading no data see. */
export function feedHead(node: SourceNode, sinks: ByteSinks): void {
  if (!sinks.wantsBytes) return;
  const strings = sinks.onString ? stringsFor(node.origin, sinks.onString) : null;
  sinks.onBytes(node.head, 0, node.origin);
  strings?.push(node.head, 0);
  strings?.end();
  sinks.onBytesEnd(node.origin);
}

/** Bytes of a segment for its strings extractor, pushed once the chunk's other consumers are done. */
interface StringsPart {
  segment: Segment;
  part: Uint8Array;
  at: number;
}

function feedSegment(segment: Segment, chunk: Uint8Array, offset: number, sinks: ByteSinks, strings: StringsPart[]) {
  let position = Math.max(offset, segment.start);
  const stop = Math.min(offset + chunk.length, segment.end);
  for (const [from, to] of segment.skip) {
    if (to <= position) continue;
    if (from >= stop) break;
    if (from > position) deliver(segment, chunk, offset, position, from, sinks, strings);
    position = Math.max(position, to);
  }
  if (position < stop) deliver(segment, chunk, offset, position, stop, sinks, strings);
}

function deliver(
  segment: Segment,
  chunk: Uint8Array,
  offset: number,
  from: number,
  to: number,
  sinks: ByteSinks,
  strings: StringsPart[],
) {
  const part = chunk.subarray(from - offset, to - offset);
  const at = from - segment.start;
  sinks.onBytes(part, at, segment.node.origin);
  if (segment.strings) strings.push({ segment, part, at });
}

/** Whether some segment with a strings extractor gets bytes of [from, to) (not all skipped). */
function wantsStrings(active: readonly Segment[], from: number, to: number): boolean {
  return active.some(
    (segment) =>
      segment.strings !== null &&
      segment.start < to &&
      segment.end > from &&
      !segment.skip.some(
        ([skipFrom, skipTo]) => skipFrom <= Math.max(from, segment.start) && skipTo >= Math.min(to, segment.end),
      ),
  );
}

/**
 * One pass's printable-blocks scans, a chunk at a time: opened with the chunk sent to the hashing
 * thread, taken (or closed) before the next. One job, reused, unless the thread fell behind on one.
 */
class ChunkScans {
  private job: BlockScanJob | null = null;

  private constructor(private readonly kernel: PrintableBlocks) {}

  /** Null where the kernel does not run: the extractor's sampling loop needs no scan. */
  static create(): ChunkScans | null {
    const kernel = PrintableBlocks.get();
    return kernel ? new ChunkScans(kernel) : null;
  }

  open(length: number): { job: BlockScanJob; generation: number } {
    if (this.job === null || !this.job.fits(length)) this.job = new BlockScanJob(Math.max(length, CHUNK));
    return { job: this.job, generation: this.job.open() };
  }

  /** The blocks of the chunk opened last when `needed`; settles its job either way. */
  take(chunk: Uint8Array, needed: boolean): ChunkBlocks | undefined {
    const job = this.job as BlockScanJob;
    if (!needed) {
      if (!job.close()) this.job = null;
      return undefined;
    }
    const { blocks, reusable } = job.result(chunk, this.kernel);
    if (!reusable) this.job = null;
    return blocks;
  }
}

function endSegment(segment: Segment, sinks: ByteSinks): void {
  segment.strings?.end();
  sinks.onBytesEnd(segment.node.origin);
}

/** Sources end in order of their last byte; a member before the container it ends with. */
function innerFirst(left: Segment, right: Segment): number {
  return left.end - right.end || right.node.origin.memberChain.length - left.node.origin.memberChain.length;
}

function stringsFor(origin: Origin, onString: (run: PrintableString, origin: Origin) => void) {
  return new PrintableStringExtractor((run) => onString(run, origin));
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((left, right) => left[0] - right[0]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

import type { PrintableString } from "../plugin.js";
import { type ChunkBlocks, PrintableBlocks, printableAscii } from "./printable-blocks.js";

/**
 * The engine's printable-strings channel: one extractor per source stream, shared by every detector
 * that sets `strings`.
 *
 * Extracts printable text runs (ASCII and well-formed UTF-8) from a byte stream delivered in chunks.
 * The bytes after the chunk's last hard break (a byte that can never be inside text) are carried
 * into the next chunk, bounded, so a key split across chunks is found whole. Nothing else is kept:
 * the stream is never held in memory.
 *
 * Speed on weights matters (every byte of every tensor passes here), and a byte-by-byte state machine
 * is slow on random data because every branch is a coin toss. So runs are found in two steps: a
 * sampling pass reads every third aligned 4-byte word (16 consecutive bytes always hold three whole
 * aligned words, so one sampled word lies inside any such run) and drops it at once unless all four
 * bytes are ASCII; only where a sampled word is all printable is the neighbourhood scanned exactly.
 * A run therefore needs 16 consecutive printable ASCII bytes somewhere in it: every structured
 * secret has them; UTF-8 around them is kept as context. Where WebAssembly SIMD runs, a kernel
 * (printable-blocks.ts) looks at every byte instead, 16 at a time, and names the 8-byte blocks that
 * are all printable (a run of 16 holds one whole): faster than the sampling, and the same runs.
 */

/** Shortest run worth pattern matching: every structured secret is longer. */
export const MIN_RUN_LENGTH = 16;
/**
 * Longest stretch carried between chunks. Longer stretches (a big text file) are scanned in pieces
 * that overlap by RUN_OVERLAP bytes, so a secret shorter than the overlap is never lost.
 */
export const MAX_RUN_LENGTH = 256 * 1024;
export const RUN_OVERLAP = 8 * 1024;
/** Words between samples: three whole aligned words lie inside any 16 bytes. */
const WORD_STRIDE = 3;

// 1: printable ASCII (and tab, LF, CR); 2-4: UTF-8 lead of a sequence that long; 5: continuation;
// 0: a hard break (controls, DEL, bytes never valid in UTF-8).
const CLASS = new Uint8Array(256);
for (let byte = 0x20; byte < 0x7f; byte++) CLASS[byte] = 1;
CLASS[0x09] = 1;
CLASS[0x0a] = 1;
CLASS[0x0d] = 1;
for (let byte = 0x80; byte <= 0xbf; byte++) CLASS[byte] = 5;
for (let byte = 0xc2; byte <= 0xdf; byte++) CLASS[byte] = 2;
for (let byte = 0xe0; byte <= 0xef; byte++) CLASS[byte] = 3;
for (let byte = 0xf0; byte <= 0xf4; byte++) CLASS[byte] = 4;

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

export class PrintableStringExtractor {
  /** Bytes after the last hard break seen, waiting for the next chunk. */
  private carried: Uint8Array = new Uint8Array(0);
  private carriedOffset = 0;

  /** `useKernel` false: the sampling loop even where the kernel runs (the tests compare the two). */
  constructor(
    private readonly onRun: (run: PrintableString) => void,
    private readonly useKernel = true,
  ) {}

  /**
   * The next bytes of the stream, at `offset`. `known`: the printable blocks of a chunk these bytes
   * are part of (same buffer), already found (by the hashing thread), so the search is not repeated.
   */
  push(chunk: Uint8Array, offset: number, known?: ChunkBlocks): void {
    if (this.carried.length > 0 && offset !== this.carriedOffset + this.carried.length) this.flush();
    const length = chunk.length;
    let firstHard = 0;
    while (firstHard < length && CLASS[chunk[firstHard] as number] !== 0) firstHard++;
    if (firstHard === length) {
      this.extendCarry(chunk, offset);
      return;
    }
    let lastHard = length - 1;
    while (CLASS[chunk[lastHard] as number] !== 0) lastHard--;
    // The carried stretch continues up to the chunk's first hard break.
    if (this.carried.length > 0 || firstHard > 0) {
      const head =
        this.carried.length > 0 ? concat(this.carried, chunk.subarray(0, firstHard)) : chunk.subarray(0, firstHard);
      const headOffset = this.carried.length > 0 ? this.carriedOffset : offset;
      exactRuns(head, 0, head.length, headOffset, this.onRun);
    }
    findRuns(chunk, firstHard + 1, lastHard, offset, this.onRun, this.useKernel, known);
    this.carried = chunk.slice(lastHard + 1);
    this.carriedOffset = offset + lastHard + 1;
  }

  /** Ends the stream: the carried stretch, if any, is complete. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.carried.length >= MIN_RUN_LENGTH)
      exactRuns(this.carried, 0, this.carried.length, this.carriedOffset, this.onRun);
    this.carried = new Uint8Array(0);
  }

  private extendCarry(chunk: Uint8Array, offset: number): void {
    if (this.carried.length === 0) this.carriedOffset = offset;
    let joined = this.carried.length > 0 ? concat(this.carried, chunk) : chunk.slice();
    if (joined.length > MAX_RUN_LENGTH) {
      // Scan what we have; keep the overlap so a secret across the cut is seen whole.
      exactRuns(joined, 0, joined.length, this.carriedOffset, this.onRun);
      const keep = joined.length - RUN_OVERLAP;
      joined = joined.slice(keep);
      this.carriedOffset += keep;
    }
    this.carried = joined;
  }
}

/** Runs inside bytes[start, end) (a stretch bounded by hard breaks or the buffer's ends). */
function findRuns(
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  onRun: (run: PrintableString) => void,
  useKernel: boolean,
  known: ChunkBlocks | undefined,
): void {
  // Where `bytes` starts in the grid of `known` (the chunk they are part of).
  const delta = known && known.bytes.buffer === bytes.buffer ? bytes.byteOffset - known.bytes.byteOffset : -1;
  if (known && useKernel && delta >= 0 && delta + bytes.length <= known.bytes.length) {
    knownRuns(known, delta, bytes, start, end, base, onRun);
    return;
  }
  const kernel = useKernel ? PrintableBlocks.get() : null;
  // The kernel's memory holds one piece: a run handler that pushed bytes of its own (none does)
  // would take the sampling loop rather than overwrite the piece in hand.
  if (kernel === null || kernelBusy) {
    sampleRuns(bytes, start, end, base, onRun);
    return;
  }
  kernelBusy = true;
  try {
    blockRuns(kernel, bytes, start, end, base, onRun);
  } finally {
    kernelBusy = false;
  }
}

let kernelBusy = false;

/** Block indexes of the kernel's search in `blockRuns`, kept for the next call (guarded by kernelBusy). */
let scratch = new Int32Array(0);

/** findRuns by the kernel: only around 8-byte blocks (a grid from `start`) that are all printable. */
function blockRuns(
  kernel: PrintableBlocks,
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  onRun: (run: PrintableString) => void,
): void {
  const interior = bytes.subarray(start, end);
  if (scratch.length < interior.length / 8) scratch = new Int32Array(Math.ceil(interior.length / 8));
  const known = { bytes: interior, blocks: scratch, count: kernel.scan(interior, scratch) };
  knownRuns(known, -start, bytes, start, end, base, onRun);
}

/**
 * Runs around the blocks of `known` that lie inside [start, end) of `bytes`; `delta` is where
 * `bytes` starts in the grid of `known` (negative when `bytes` starts before it).
 */
function knownRuns(
  known: ChunkBlocks,
  delta: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  onRun: (run: PrintableString) => void,
): void {
  const { blocks, count } = known;
  // The first block at or after `start` (block indexes ascend).
  const first = Math.ceil((delta + start) / 8);
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((blocks[middle] as number) < first) low = middle + 1;
    else high = middle;
  }
  let resume = start;
  for (let index = low; index < count; index++) {
    const at = 8 * (blocks[index] as number) - delta;
    if (at + 8 > end) break;
    if (at < resume) continue;
    const stretchEnd = runsAround(bytes, at, 8, start, end, base, onRun);
    if (stretchEnd >= 0) resume = stretchEnd + 1;
  }
}

/** findRuns without the kernel: every third aligned 4-byte word is sampled (see the top of the file). */
function sampleRuns(
  bytes: Uint8Array,
  start: number,
  end: number,
  base: number,
  onRun: (run: PrintableString) => void,
): void {
  // Word i covers bytes[4i - misalignment ...]: views need the buffer offset a multiple of 4.
  const misalignment = (4 - (bytes.byteOffset % 4)) % 4;
  const wordCount = Math.floor((bytes.length - misalignment) / 4);
  if (wordCount <= 0) return;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + misalignment, wordCount);
  const lastWord = Math.floor((end - misalignment) / 4) - 1; // the last word wholly before `end`
  let word = Math.ceil((start - misalignment) / 4);
  while (word <= lastWord) {
    if (((words[word] as number) & 0x80808080) !== 0) {
      word += WORD_STRIDE;
      continue;
    }
    const sample = misalignment + word * 4;
    if (!printableAscii(bytes, sample, 4)) {
      word += WORD_STRIDE;
      continue;
    }
    const stretchEnd = runsAround(bytes, sample, 4, start, end, base, onRun);
    if (stretchEnd < 0) {
      word += WORD_STRIDE;
      continue;
    }
    // Sampling starts afresh past the stretch: a later run holds three whole words from there on.
    word = Math.ceil((stretchEnd + 1 - misalignment) / 4);
  }
}

/**
 * Around bytes[at, at + length), all printable ASCII inside [start, end): when the printable ASCII
 * core there is a run's worth, the stretch without hard breaks around it is split into runs, and
 * the stretch's end is returned; -1 when the core is too short.
 */
function runsAround(
  bytes: Uint8Array,
  at: number,
  length: number,
  start: number,
  end: number,
  base: number,
  onRun: (run: PrintableString) => void,
): number {
  let coreStart = at;
  while (coreStart > start && CLASS[bytes[coreStart - 1] as number] === 1) coreStart--;
  let coreEnd = at + length;
  while (coreEnd < end && CLASS[bytes[coreEnd] as number] === 1) coreEnd++;
  if (coreEnd - coreStart < MIN_RUN_LENGTH) return -1;
  // Widen to the surrounding stretch without hard breaks, then split it exactly (UTF-8 checked).
  let stretchStart = coreStart;
  while (stretchStart > start && CLASS[bytes[stretchStart - 1] as number] !== 0) stretchStart--;
  let stretchEnd = coreEnd;
  while (stretchEnd < end && CLASS[bytes[stretchEnd] as number] !== 0) stretchEnd++;
  exactRuns(bytes, stretchStart, stretchEnd, base, onRun);
  return stretchEnd;
}

/** Byte-exact split of bytes[start, end) into runs of printable ASCII and well-formed UTF-8. */
function exactRuns(bytes: Uint8Array, start: number, end: number, base: number, onRun: (run: PrintableString) => void) {
  let index = start;
  let runStart = start;
  let ascii = true;
  while (index < end) {
    const kind = CLASS[bytes[index] as number] as number;
    if (kind === 1) {
      index++;
      continue;
    }
    if (kind >= 2 && kind <= 4 && index + kind <= end && validSequence(bytes, index, kind)) {
      ascii = false;
      index += kind;
      continue;
    }
    if (index - runStart >= MIN_RUN_LENGTH) deliver(bytes.subarray(runStart, index), base + runStart, ascii, onRun);
    index++;
    runStart = index;
    ascii = true;
  }
  if (end - runStart >= MIN_RUN_LENGTH) deliver(bytes.subarray(runStart, end), base + runStart, ascii, onRun);
}

function validSequence(bytes: Uint8Array, index: number, width: number): boolean {
  for (let next = 1; next < width; next++) if (((bytes[index + next] as number) & 0xc0) !== 0x80) return false;
  if (width < 3) return true;
  // Reject overlong 3/4-byte forms and surrogates, as a strict UTF-8 decoder does.
  const lead = bytes[index] as number;
  const second = bytes[index + 1] as number;
  if (lead === 0xe0) return second >= 0xa0;
  if (lead === 0xed) return second < 0xa0;
  if (lead === 0xf0) return second >= 0x90;
  if (lead === 0xf4) return second < 0x90;
  return true;
}

function deliver(bytes: Uint8Array, offset: number, ascii: boolean, onRun: (run: PrintableString) => void): void {
  onRun({ text: ascii ? latin1.decode(bytes) : utf8.decode(bytes), offset, ascii });
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

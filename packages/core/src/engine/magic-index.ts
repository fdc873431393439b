import type { FormatHandler } from "../plugin.js";
import { PAIR_FILTER_BLOCK, PairFilter } from "./pair-filter.js";

/** One magic of one handler: `handler` is the handler's position in the array the index was built for. */
export interface MagicEntry {
  readonly handler: number;
  readonly magic: Uint8Array;
}

/** A magic searched for natively, once however many handlers list it. */
interface Needle {
  readonly bytes: Buffer;
  /** Positions of the handlers that list it. */
  readonly handlers: readonly number[];
}

/**
 * Every handler's magics by the bytes they start with, so that one pass over some bytes finds every
 * offset where any of them may occur, instead of one native search per magic (on the small windows
 * the steganography detector asks about, the number of searches, not their speed, was the cost).
 * Zero-length magics are left out, as `identify` skips them.
 */
export interface MagicIndex {
  /** What the index was built from: it is rebuilt if a handler or its magic list is replaced. */
  readonly handlers: readonly FormatHandler[];
  readonly magics: readonly (readonly Uint8Array[] | undefined)[];
  /**
   * 1 at `first | second << 8` when some magic starts with those two bytes: a magic of two bytes or
   * more with that prefix, or a 1-byte magic equal to `first` (whatever `second` is).
   */
  readonly pairs: Uint8Array;
  /** The magics a set `pairs` entry stands for, by handler position, each handler's in its own order. */
  readonly byPair: ReadonlyMap<number, readonly MagicEntry[]>;
  /** 1-byte magics by their byte: at the last offset there is no second byte to look `pairs` up with. */
  readonly bySingle: readonly (readonly MagicEntry[] | undefined)[];
  /** The distinct magics, for the native search. */
  readonly needles: readonly Needle[];
}

const indexes = new WeakMap<readonly FormatHandler[], MagicIndex>();

/** The index of these handlers' magics, built on first use and kept while the array lives. */
export function magicIndexFor(handlers: readonly FormatHandler[]): MagicIndex {
  const cached = indexes.get(handlers);
  if (cached && isCurrent(cached, handlers)) return cached;
  const index = buildMagicIndex(handlers);
  indexes.set(handlers, index);
  return index;
}

function isCurrent(index: MagicIndex, handlers: readonly FormatHandler[]): boolean {
  if (index.handlers.length !== handlers.length) return false;
  for (let position = 0; position < handlers.length; position++) {
    const handler = handlers[position];
    if (handler !== index.handlers[position] || handler?.magic !== index.magics[position]) return false;
  }
  return true;
}

function buildMagicIndex(handlers: readonly FormatHandler[]): MagicIndex {
  const pairs = new Uint8Array(65536);
  const byPair = new Map<number, MagicEntry[]>();
  const bySingle: (MagicEntry[] | undefined)[] = Array.from({ length: 256 }, () => undefined);
  const needles = new Map<string, { bytes: Buffer; handlers: number[] }>();
  const add = (key: number, entry: MagicEntry) => {
    pairs[key] = 1;
    const listed = byPair.get(key);
    if (listed) listed.push(entry);
    else byPair.set(key, [entry]);
  };
  // Handlers in order and each one's magics in order: every list is sorted by handler position.
  handlers.forEach((handler, position) => {
    for (const magic of handler.magic ?? []) {
      if (magic.length === 0) continue;
      const entry: MagicEntry = { handler: position, magic };
      const first = magic[0]!;
      if (magic.length === 1) {
        const singles = bySingle[first];
        if (singles) singles.push(entry);
        else bySingle[first] = [entry];
        for (let second = 0; second < 256; second++) add(first | (second << 8), entry);
      } else {
        add(first | (magic[1]! << 8), entry);
      }
      const bytes = Buffer.from(magic);
      const needle = needles.get(bytes.toString("latin1"));
      if (!needle) needles.set(bytes.toString("latin1"), { bytes, handlers: [position] });
      else if (!needle.handlers.includes(position)) needle.handlers.push(position);
    }
  });
  return {
    handlers: [...handlers],
    magics: handlers.map((handler) => handler.magic),
    pairs,
    byPair,
    bySingle,
    needles: [...needles.values()],
  };
}

/**
 * At most this many magics are searched for natively, one `Buffer.indexOf` walk each (the old way:
 * cheap while there are few, each walk skipping to its first byte natively); with more, the word
 * loop over the `pairs` table is cheaper, its cost not growing with the number of magics. Measured
 * on 4 MiB of random bytes (of float32 weights): the executables' eight magics natively ~1.4 (~1.8)
 * GB/s, every first-party magic (22) natively ~0.5 (~0.65) GB/s, the table ~1.3 GB/s for any number.
 */
const MAX_NATIVE_NEEDLES = 8;

/**
 * From this many bytes on, the SIMD pair filter (pair-filter.ts) scans the table whatever the number
 * of magics: with few magics (an index of the handlers asked for) it flags few offsets, and it beats
 * the native walks. Measured at the thorough level on 1 GiB of float32 weights in 4 MiB chunks, the
 * executables' eight magics: natively ~600 ms of the main thread, the filter ~320 (its copies ~130).
 */
const FILTER_MIN_BYTES = 65536;

/**
 * Offsets the table may visit where no magic of a handler still searched occurs whole, before the
 * rest of the bytes is searched natively (as fast as the old search, whatever the bytes): bytes made
 * of a magic's first bytes (`feedfeed…`), or of a finished handler's magic, would otherwise cost a
 * visit in JavaScript every few bytes. Random bytes and weights visit about once per 3,000 bytes
 * (the first-party magics' ~20 distinct first pairs), far below one per 256.
 */
const fruitlessBudget = (length: number) => 256 + (length >>> 8);

/**
 * Finds every (handler, offset) where one of the handler's magics occurs whole at an offset from 1
 * on, in increasing offset order, and calls `found` for each, once per handler and offset however
 * many of its magics match there. `counts` holds, per handler position, the candidates so far (-1
 * for a handler not asked for). A handler's candidates past `limit` are not reported: the first one
 * past it is counted (`counts` then tells which handlers had more) and its magics are no longer
 * searched for. Returns whether any handler had more than `limit`.
 *
 * Either way of searching (the table, or natively) reports the same candidates in the same order;
 * which runs, and when the table gives way to the native search, is a matter of cost only.
 */
export function findMagics(
  index: MagicIndex,
  bytes: Uint8Array,
  counts: Int32Array,
  limit: number,
  found: (handler: number, offset: number) => void,
): boolean {
  const live = (handler: number) => {
    const count = counts[handler]!;
    return count >= 0 && count <= limit;
  };
  const needles = index.needles.filter((needle) => needle.handlers.some(live));
  if (needles.length === 0) return false;
  let limited = false;
  let exhausted = false;
  let fruitless = 0;
  const budget = fruitlessBudget(bytes.length);
  /** Sniffs what matches at `offset`; false once the table has visited too many offsets in vain. */
  const visit = (offset: number, entries: readonly MagicEntry[]): boolean => {
    // Entries come by handler: once one of a handler's magics matched here, its others are not compared.
    let matched = -1;
    for (const { handler, magic } of entries) {
      if (handler === matched) continue;
      const count = counts[handler]!;
      if (count < 0 || count > limit || !occursAt(bytes, offset, magic)) continue;
      matched = handler;
      counts[handler] = count + 1;
      if (count < limit) {
        found(handler, offset);
      } else {
        limited = true;
        exhausted = true;
      }
    }
    return matched !== -1 || ++fruitless <= budget;
  };
  let from = 1;
  if ((needles.length > MAX_NATIVE_NEEDLES || (bytes.length >= FILTER_MIN_BYTES && PairFilter.get())) && !scanning) {
    scanning = true;
    try {
      from = scanTable(index, bytes, visit);
    } finally {
      scanning = false;
    }
  }
  if (from < bytes.length) {
    const searched = (needle: Needle) => needle.handlers.some(live);
    searchNatively(
      index,
      bytes,
      from,
      needles.filter(searched),
      (offset, entries) => {
        exhausted = false;
        visit(offset, entries);
        return exhausted;
      },
      searched,
    );
  }
  return limited;
}

/**
 * Calls `found` with every handler asked for (`counts` not -1) one of whose magics starts `bytes`,
 * once each, in handler order. Offset 0 is not a candidate: it counts toward no limit.
 */
export function findMagicsAtStart(
  index: MagicIndex,
  bytes: Uint8Array,
  counts: Int32Array,
  found: (handler: number) => void,
): void {
  if (bytes.length === 0) return;
  let matched = -1;
  for (const { handler, magic } of entriesAt(index, bytes, 0) ?? []) {
    if (handler !== matched && counts[handler]! >= 0 && occursAt(bytes, 0, magic)) {
      matched = handler;
      found(handler);
    }
  }
}

/** Whether `magic` occurs whole at `offset` (not one that runs past the end: a native search finds none either). */
function occursAt(bytes: Uint8Array, offset: number, magic: Uint8Array): boolean {
  if (offset + magic.length > bytes.length) return false;
  for (let index = 0; index < magic.length; index++) if (bytes[offset + index] !== magic[index]) return false;
  return true;
}

/** The magics listed for what starts at `offset` (as `pairs` lists them, or the 1-byte ones at the last offset). */
function entriesAt(index: MagicIndex, bytes: Uint8Array, offset: number): readonly MagicEntry[] | undefined {
  return offset < bytes.length - 1
    ? index.byPair.get(bytes[offset]! | (bytes[offset + 1]! << 8))
    : index.bySingle[bytes[offset]!];
}

/**
 * Every needle's occurrences from `from` on, one `Buffer.indexOf` walk each, merged so that offsets
 * come in increasing order and each once. When `visit` says a handler finished, needles no longer
 * `searched` are dropped.
 */
function searchNatively(
  index: MagicIndex,
  bytes: Uint8Array,
  from: number,
  needles: readonly Needle[],
  visit: (offset: number, entries: readonly MagicEntry[]) => boolean,
  searched: (needle: Needle) => boolean,
): void {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Per needle, the next offset it occurs at; -1 once it occurs no more or is dropped.
  const next = needles.map((needle) => haystack.indexOf(needle.bytes, from));
  for (;;) {
    let offset = -1;
    for (const at of next) if (at !== -1 && (offset === -1 || at < offset)) offset = at;
    if (offset === -1) return;
    next.forEach((at, needle) => {
      if (at === offset) next[needle] = haystack.indexOf(needles[needle]!.bytes, offset + 1);
    });
    const entries = entriesAt(index, bytes, offset);
    if (entries && visit(offset, entries)) {
      needles.forEach((needle, position) => {
        if (!searched(needle)) next[position] = -1;
      });
    }
  }
}

/** Whether this platform stores a Uint32Array's words low byte first (every platform Node runs on in practice). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** Below this many bytes the word loop's setup is not worth it. */
const WORD_LOOP_MIN = 64;

/**
 * The `pairs` table of the index being scanned, copied to one fixed array: a table V8 knows by
 * identity is looked up without bounds checks, which makes the word loop about a quarter faster. The
 * copy (64 KiB) is made only when a scan uses a different index than the last (one registry per
 * scan).
 */
const PAIRS = new Uint8Array(65536);
let loaded: MagicIndex | undefined;
/** A table scan is running (its visitor sniffs): a nested call searches natively and leaves PAIRS alone. */
let scanning = false;

/**
 * Calls `visit`, in increasing order, with every offset of `bytes` from 1 on where some magic of the
 * index starts with the byte (and the next byte) found there, and the magics listed for them. The
 * SIMD kernel of pair-filter.ts finds the groups of 16 offsets holding such a pair; without it the
 * pairs are looked up from 32-bit words, two words (eight offsets) per branch, several times faster
 * than a loop over single bytes. Either way `visitPairs` then visits the offsets one by one. Returns where to go on from when `visit` said stop (the offset
 * after the one it was given), or the length when the scan finished.
 */
function scanTable(
  index: MagicIndex,
  bytes: Uint8Array,
  visit: (offset: number, entries: readonly MagicEntry[]) => boolean,
): number {
  if (loaded !== index) {
    PAIRS.set(index.pairs);
    loaded = index;
  }
  const length = bytes.length;
  // Offsets before `last` have a second byte; `last` itself only matches 1-byte magics.
  const last = length - 1;
  let offset = 1;
  const filter = length >= WORD_LOOP_MIN ? PairFilter.get() : null;
  if (filter) {
    // The SIMD filter over blocks of the bytes copied into its memory: the groups of 16 offsets it
    // flags are looked up in the table, every offset whose pair is set among them.
    filter.load(index.pairs);
    for (let start = 1; start < last; start += PAIR_FILTER_BLOCK) {
      const end = Math.min(last, start + PAIR_FILTER_BLOCK);
      filter.copy(bytes.subarray(start, end + 1));
      for (let group = filter.find(0, end - start); group < end - start; group = filter.find(group + 16, end - start)) {
        const stopped = visitPairs(index, bytes, start + group, Math.min(start + group + 16, end), visit);
        if (stopped !== -1) return stopped;
      }
    }
    offset = Math.max(1, last);
  } else if (LITTLE_ENDIAN && length >= WORD_LOOP_MIN) {
    // Byte by byte up to an offset where a 32-bit view may start, and that word's first three offsets.
    const aligned = offset + ((4 - ((bytes.byteOffset + offset) & 3)) & 3);
    const stopped = visitPairs(index, bytes, offset, aligned + 3, visit);
    if (stopped !== -1) return stopped;
    const count = (length - aligned) >>> 2;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + aligned, count);
    // Words from 1 on, two at a time: where the table says two words hold a candidate, their offsets
    // (and the one before, whose pair ends in the first word's low byte) are looked at one by one.
    let k = 1;
    for (;;) {
      k = nextCandidateWords(words, k);
      if (k + 1 >= count) break;
      const start = aligned + 4 * k;
      const stopped = visitPairs(index, bytes, start - 1, start + 7, visit);
      if (stopped !== -1) return stopped;
      k += 2;
    }
    // The rest (the top byte of word `k - 1`, an odd last word, the bytes after the words) byte by byte below.
    offset = aligned + 4 * k - 1;
  }
  const stopped = visitPairs(index, bytes, offset, last, visit);
  if (stopped !== -1) return stopped;
  if (last >= 1) {
    const singles = index.bySingle[bytes[last]!];
    if (singles) visit(last, singles);
  }
  return length;
}

/**
 * The first `k` from `from` on (in steps of two) where words `k` and `k + 1` hold the first byte of a
 * pair set in PAIRS, counting the pair that starts in the top byte of word `k - 1`; past the words,
 * the first `k` with `k + 1` not below their count. Words are read low byte first. The loop makes no
 * call and carries only small integers, which keeps V8's code for it tight.
 */
function nextCandidateWords(words: Uint32Array, from: number): number {
  const count = words.length;
  let carry = words[from - 1]! >>> 24;
  let k = from;
  for (; k + 1 < count; k += 2) {
    const word = words[k]!;
    const next = words[k + 1]!;
    if (
      (PAIRS[carry | ((word & 0xff) << 8)]! |
        PAIRS[word & 0xffff]! |
        PAIRS[(word >>> 8) & 0xffff]! |
        PAIRS[word >>> 16]! |
        PAIRS[(word >>> 24) | ((next & 0xff) << 8)]! |
        PAIRS[next & 0xffff]! |
        PAIRS[(next >>> 8) & 0xffff]! |
        PAIRS[next >>> 16]!) !==
      0
    ) {
      return k;
    }
    carry = next >>> 24;
  }
  return k;
}

/**
 * Visits the offsets from `from` up to (not including) `to` (each has a next byte in `bytes`) whose
 * pair is set. Returns -1, or the offset after the one at which `visit` said stop.
 */
function visitPairs(
  index: MagicIndex,
  bytes: Uint8Array,
  from: number,
  to: number,
  visit: (offset: number, entries: readonly MagicEntry[]) => boolean,
): number {
  for (let offset = from; offset < to; offset++) {
    const key = bytes[offset]! | (bytes[offset + 1]! << 8);
    if (PAIRS[key] !== 0 && !visit(offset, index.byPair.get(key)!)) return offset + 1;
  }
  return -1;
}

/**
 * ssdeep (context-triggered piecewise hashing, spamsum), written to give the same digests and scores
 * as libfuzzy 2.14 (`ssdeep` on the command line, python-ssdeep), so fuzzy digests from public feeds
 * can be matched. The digest is `blocksize:part1:part2`; two digests are comparable when their block
 * sizes are equal or a factor of two apart, and `compareSsdeep` scores them 0-100.
 *
 * The hasher streams: it runs every candidate block size at once (as libfuzzy's `fuzzy_update`
 * does) and picks the block size when the digest is asked for, so the length need not be known first.
 */

const ROLLING_WINDOW = 7;
const MIN_BLOCKSIZE = 3;
const HASH_INIT = 0x27;
const NUM_BLOCKHASHES = 31;
const SPAMSUM_LENGTH = 64;
const HALF_LENGTH = SPAMSUM_LENGTH / 2;
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_CODES = Uint8Array.from(B64, (char) => char.charCodeAt(0));
/** The most input one digest can describe (block size 3 * 2^30, 64 pieces); more is not hashed. */
export const SSDEEP_MAX_INPUT = MIN_BLOCKSIZE * 2 ** (NUM_BLOCKHASHES - 1) * SPAMSUM_LENGTH;

/**
 * The piece hash: FNV-1 reduced to the 6 bits the digest keeps, as a table indexed by
 * `hash << 6 | byte & 63` (libfuzzy's `sum_table`).
 */
const SUM_TABLE = Uint8Array.from(
  { length: 64 * 64 },
  (_, index) => (Math.imul(index >> 6, 0x01000193) ^ index) & 0x3f,
);

/** One block size's digest so far (libfuzzy's blockhash_context; its piece hashes are in the hasher's arrays). */
interface BlockHash {
  /** Characters of finished pieces; `chars[length]` is the pending last one once the digest is full. */
  chars: Uint8Array;
  length: number;
  /** The character the digest would end with if it were cut at 32 (libfuzzy's halfdigest). */
  halfDigest: number;
}

function newBlockHash(): BlockHash {
  return { chars: new Uint8Array(SPAMSUM_LENGTH), length: 0, halfDigest: 0 };
}

export class SsdeepHasher {
  private readonly blocks: BlockHash[] = [newBlockHash()];
  private readonly hashes = new Uint8Array(NUM_BLOCKHASHES).fill(HASH_INIT);
  // A block's half hash equals its hash until its digest is 32 long (both are reset together before):
  // only those blocks (`diverged`, at most a few) keep their own.
  private readonly halfHashes = new Uint8Array(NUM_BLOCKHASHES).fill(HASH_INIT);
  private diverged: number[] = [];
  private start = 0;
  private end = 1;
  private total = 0;
  private reduceBorder = MIN_BLOCKSIZE * SPAMSUM_LENGTH;
  private rollMask = 0;
  private lastHash = 0;
  private needLastHash = false;
  // The rolling hash (Adler-like h1/h2 over the last 7 bytes, shift/xor h3), kept as uint32.
  private readonly window = new Uint8Array(ROLLING_WINDOW);
  private windowAt = 0;
  private h1 = 0;
  private h2 = 0;
  private h3 = 0;

  /** Bytes hashed so far. */
  get size(): number {
    return this.total;
  }

  update(bytes: Uint8Array): void {
    // Counted before the bytes are stepped through, as libfuzzy does (it only decides when a block
    // size may be dropped, never the digest).
    this.total += bytes.length;
    // The per-byte loop works on locals and typed arrays: it runs over every byte of every file.
    const { window, hashes, halfHashes } = this;
    let { h1, h2, h3, windowAt, start, end, diverged } = this;
    for (let offset = 0; offset < bytes.length; offset++) {
      const byte = bytes[offset] as number;
      // int32 arithmetic (wraps like uint32; read unsigned below) keeps V8 on small integers.
      h2 = (h2 - h1 + ROLLING_WINDOW * byte) | 0;
      h1 = (h1 + byte - (window[windowAt] as number)) | 0;
      window[windowAt] = byte;
      windowAt = windowAt === ROLLING_WINDOW - 1 ? 0 : windowAt + 1;
      h3 = (h3 << 5) ^ byte;
      const low = byte & 0x3f;
      for (let index = start; index < end; index++) {
        hashes[index] = SUM_TABLE[((hashes[index] as number) << 6) | low] as number;
      }
      for (const index of diverged) {
        halfHashes[index] = SUM_TABLE[((halfHashes[index] as number) << 6) | low] as number;
      }
      if (this.needLastHash) this.lastHash = SUM_TABLE[(this.lastHash << 6) | low] as number;
      const rolled = (h1 + h2 + h3 + 1) >>> 0;
      // A sum of 0xffffffff (rolled 0) is no trigger: libfuzzy keeps that quirk.
      if (rolled === 0) continue;
      const trigger = (rolled / MIN_BLOCKSIZE) >>> 0;
      if ((trigger & this.rollMask) !== 0 || rolled % MIN_BLOCKSIZE !== 0) continue;
      this.endPieces(trigger >>> start);
      ({ start, end, diverged } = this);
    }
    Object.assign(this, { h1, h2, h3, windowAt });
  }

  /** A piece ends at every block size 3 * 2^index whose trigger fires, from the smallest one kept. */
  private endPieces(trigger: number): void {
    const { hashes } = this;
    for (let index = this.start; index < this.end; index++) {
      const block = this.blocks[index] as BlockHash;
      if (block.length === 0) this.forkNext();
      block.chars[block.length] = B64_CODES[hashes[index] as number] as number;
      block.halfDigest = B64_CODES[this.halfHashOf(index)] as number;
      if (block.length < SPAMSUM_LENGTH - 1) {
        block.length++;
        block.chars[block.length] = 0;
        if (block.length === HALF_LENGTH) {
          // From here on the half hash runs on past piece ends: it starts from the hash as it is.
          this.halfHashes[index] = hashes[index] as number;
          this.diverged = [...this.diverged.filter((at) => at >= this.start), index];
        } else if (block.length < HALF_LENGTH) {
          block.halfDigest = 0;
        }
        hashes[index] = HASH_INIT;
      } else {
        // Full: the last character is rewritten from now on (the tail merges into one piece).
        this.tryReduce();
      }
      if ((trigger & 1) !== 0) break;
      trigger >>>= 1;
    }
  }

  /** The first piece at a block size opens the next one (it starts from the last one's state). */
  private forkNext(): void {
    const last = this.end - 1;
    if (this.end < NUM_BLOCKHASHES) {
      // The last block has no piece yet (its first piece is what forks), so its half hash is its hash.
      this.blocks[this.end] = newBlockHash();
      this.hashes[this.end] = this.hashes[last] as number;
      this.end++;
    } else if (!this.needLastHash) {
      this.needLastHash = true;
      this.lastHash = this.hashes[last] as number;
    }
  }

  private halfHashOf(index: number): number {
    return ((this.blocks[index] as BlockHash).length < HALF_LENGTH ? this.hashes : this.halfHashes)[index] as number;
  }

  /** Drops the smallest block size once the input is clearly too long for it (bounded work per byte). */
  private tryReduce(): void {
    if (this.end - this.start < 2) return;
    if (this.reduceBorder >= this.total) return;
    if ((this.blocks[this.start + 1] as BlockHash).length < HALF_LENGTH) return;
    this.start++;
    this.reduceBorder *= 2;
    this.rollMask = this.rollMask * 2 + 1;
  }

  /** The digest of everything hashed so far (libfuzzy's default form: part 2 cut to 32 characters). */
  digest(): string {
    if (this.total > SSDEEP_MAX_INPUT) throw new RangeError(`ssdeep: more than ${SSDEEP_MAX_INPUT} bytes`);
    const rolling = (this.h1 + this.h2 + this.h3) | 0;
    let index = this.start;
    while (blockSize(index) * SPAMSUM_LENGTH < this.total) index++;
    if (index >= this.end) index = this.end - 1;
    while (index > this.start && (this.blocks[index] as BlockHash).length < HALF_LENGTH) index--;

    const first = this.blocks[index] as BlockHash;
    // The open piece ends the part when the rolling hash is not zero; else a full digest's pending one.
    const firstTail =
      rolling !== 0 ? (B64_CODES[this.hashes[index] as number] as number) : (first.chars[first.length] as number);
    const part1 = text(first.chars.subarray(0, first.length), firstTail);

    let part2 = "";
    if (index < this.end - 1) {
      const second = this.blocks[index + 1] as BlockHash;
      const secondTail = rolling !== 0 ? (B64_CODES[this.halfHashOf(index + 1)] as number) : second.halfDigest;
      part2 = text(second.chars.subarray(0, Math.min(second.length, HALF_LENGTH - 1)), secondTail);
    } else if (rolling !== 0) {
      part2 = B64[index === 0 ? (this.hashes[0] as number) : this.lastHash] as string;
    }
    return `${blockSize(index)}:${part1}:${part2}`;
  }
}

function text(chars: Uint8Array, tail: number): string {
  const head = String.fromCharCode(...chars);
  return tail === 0 ? head : head + String.fromCharCode(tail);
}

function blockSize(index: number): number {
  return MIN_BLOCKSIZE * 2 ** index;
}

/** The ssdeep digest of some bytes. */
export function ssdeep(bytes: Uint8Array): string {
  const hasher = new SsdeepHasher();
  hasher.update(bytes);
  return hasher.digest();
}

/** A digest split into its parts, runs of more than three equal characters cut to three (as compared). */
export interface SsdeepParts {
  blockSize: number;
  part1: string;
  part2: string;
}

const DIGEST_FORM = /^([0-9]{1,10}):([A-Za-z0-9+/]{0,64}):([A-Za-z0-9+/]{0,64})$/;

/**
 * Reads a digest in the form ssdeep prints (`blocksize:part1:part2`; a trailing `,"file name"` is
 * not accepted). Returns null when malformed: the block size must be 3 times a power of two.
 */
export function parseSsdeep(digest: string): SsdeepParts | null {
  const match = DIGEST_FORM.exec(digest);
  if (!match) return null;
  const size = Number(match[1]);
  let power = size / MIN_BLOCKSIZE;
  if (!Number.isInteger(power) || power < 1) return null;
  while (power > 1 && power % 2 === 0) power /= 2;
  if (power !== 1 || size > blockSize(NUM_BLOCKHASHES - 1)) return null;
  return { blockSize: size, part1: squeeze(match[2] as string), part2: squeeze(match[3] as string) };
}

/** Runs of more than three equal characters carry little information: cut to three. */
function squeeze(part: string): string {
  return part.replace(/(.)\1{3,}/g, "$1$1$1");
}

/**
 * How alike two digests are, 0 (unrelated or not comparable) to 100, as libfuzzy's `fuzzy_compare`
 * scores them. Throws on a malformed digest.
 */
export function compareSsdeep(left: string, right: string): number {
  const one = parseSsdeep(left);
  const other = parseSsdeep(right);
  if (!one || !other) throw new Error("compareSsdeep: not an ssdeep digest");
  return compareParts(one, other);
}

export function compareParts(one: SsdeepParts, other: SsdeepParts): number {
  if (one.blockSize === other.blockSize) {
    if (one.part1 === other.part1 && one.part2 === other.part2) return 100;
    return Math.max(
      scoreStrings(one.part1, other.part1, one.blockSize),
      scoreStrings(one.part2, other.part2, one.blockSize * 2),
    );
  }
  if (one.blockSize * 2 === other.blockSize) return scoreStrings(other.part1, one.part2, other.blockSize);
  if (other.blockSize * 2 === one.blockSize) return scoreStrings(one.part1, other.part2, one.blockSize);
  return 0;
}

/** libfuzzy's score_strings: a shared 7-character run is required, then the edit distance is scaled. */
function scoreStrings(first: string, second: string, size: number): number {
  if (first.length < ROLLING_WINDOW || second.length < ROLLING_WINDOW) return 0;
  if (!hasCommonRun(first, second)) return 0;
  // Insertions and deletions cost 1, a substitution 2: the distance is the lengths minus twice the LCS.
  const distance = first.length + second.length - 2 * longestCommonSubsequence(first, second);
  let score = Math.floor((distance * SPAMSUM_LENGTH) / (first.length + second.length));
  score = Math.floor((100 * score) / SPAMSUM_LENGTH);
  score = 100 - score;
  // Small block sizes must not exaggerate a match of a few short pieces.
  if (size >= Math.floor((99 + ROLLING_WINDOW) / ROLLING_WINDOW) * MIN_BLOCKSIZE) return score;
  const cap = Math.floor(size / MIN_BLOCKSIZE) * Math.min(first.length, second.length);
  return Math.min(score, cap);
}

/** Whether the two strings share a substring of ROLLING_WINDOW characters. */
export function hasCommonRun(first: string, second: string): boolean {
  const runs = new Set<string>();
  for (let index = 0; index + ROLLING_WINDOW <= first.length; index++) {
    runs.add(first.slice(index, index + ROLLING_WINDOW));
  }
  for (let index = 0; index + ROLLING_WINDOW <= second.length; index++) {
    if (runs.has(second.slice(index, index + ROLLING_WINDOW))) return true;
  }
  return false;
}

function longestCommonSubsequence(first: string, second: string): number {
  let previous = new Array<number>(second.length + 1).fill(0);
  let current = new Array<number>(second.length + 1).fill(0);
  for (let row = 1; row <= first.length; row++) {
    for (let column = 1; column <= second.length; column++) {
      current[column] =
        first[row - 1] === second[column - 1]
          ? (previous[column - 1] as number) + 1
          : Math.max(previous[column] as number, current[column - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[second.length] as number;
}

/**
 * The 7-character runs of a digest, each with the block size it was hashed at (part 2 is at twice
 * the block size). Two digests score above 0 only if they share one of these: a database indexes
 * them to find candidates without comparing against every entry.
 */
export function ssdeepRuns(parts: SsdeepParts): { blockSize: number; run: string }[] {
  const runs = new Map<string, { blockSize: number; run: string }>();
  for (const [part, size] of [
    [parts.part1, parts.blockSize],
    [parts.part2, parts.blockSize * 2],
  ] as const) {
    for (let index = 0; index + ROLLING_WINDOW <= part.length; index++) {
      const run = part.slice(index, index + ROLLING_WINDOW);
      runs.set(`${size}:${run}`, { blockSize: size, run });
    }
  }
  return [...runs.values()];
}

/**
 * Printable ASCII runs of a byte stream delivered in chunks. Personal data worth finding in raw bytes
 * (card numbers, SSNs, IBANs, email addresses) is ASCII, so unlike a secrets scanner this one keeps no
 * UTF-8: a run is at least MIN_RUN_LENGTH printable ASCII bytes. The run open at a chunk's end is
 * carried into the next chunk (bounded), so a value split across chunks is found whole.
 */

/** Shorter runs are not judged: random weights make short printable runs all the time. */
export const MIN_RUN_LENGTH = 16;
/** Longest run carried between chunks; a longer one is handed over in pieces overlapping by RUN_OVERLAP. */
export const MAX_RUN_LENGTH = 256 * 1024;
/** Longer than any value looked for (an email address has at most 254 characters). */
export const RUN_OVERLAP = 1024;

export interface PrintableRun {
  text: string;
  /** Absolute byte offset of the run's first byte in the source (= character offset: ASCII only). */
  offset: number;
}

const PRINTABLE = new Uint8Array(256);
for (let byte = 0x20; byte < 0x7f; byte++) PRINTABLE[byte] = 1;
PRINTABLE[0x09] = 1;
PRINTABLE[0x0a] = 1;
PRINTABLE[0x0d] = 1;

/** Characters no value looked for contains (cards are cut at spaces only between groups). */
const SEPARATOR = new Uint8Array(256);
for (const character of " \t\r\n\"',;<>()[]{}") SEPARATOR[character.charCodeAt(0)] = 1;

const latin1 = new TextDecoder("latin1");

export class PrintableRunExtractor {
  /** Bytes of the run still open at the end of the last chunk. */
  private carried: Uint8Array = new Uint8Array(0);
  private carriedOffset = 0;

  constructor(private readonly onRun: (run: PrintableRun) => void) {}

  push(chunk: Uint8Array, offset: number): void {
    // A gap (the engine skipped a covered range) ends the open run.
    if (this.carried.length > 0 && offset !== this.carriedOffset + this.carried.length) this.flush();
    const length = chunk.length;
    let index = 0;
    if (this.carried.length > 0) {
      while (index < length && PRINTABLE[chunk[index] as number] === 1) index++;
      if (index === length) {
        this.extendCarry(chunk);
        return;
      }
      const joined = concat(this.carried, chunk.subarray(0, index));
      this.carried = new Uint8Array(0);
      this.deliver(joined, this.carriedOffset);
    }
    // Any 16 consecutive bytes hold two points 8 apart of a stride-8 lattice, so a run of at least
    // MIN_RUN_LENGTH printable bytes has two printable lattice points 8 apart: look only there, then
    // find the run's ends. Weights are mostly not printable, so most of the chunk is skipped 8 at a time.
    let position = index;
    let sample = position;
    while (sample + 8 < length) {
      if (PRINTABLE[chunk[sample] as number] !== 1 || PRINTABLE[chunk[sample + 8] as number] !== 1) {
        sample += 8;
        continue;
      }
      let start = sample;
      while (start > position && PRINTABLE[chunk[start - 1] as number] === 1) start--;
      // Only the two lattice points are known printable: walk the bytes between and beyond them.
      let end = sample + 1;
      while (end < length && PRINTABLE[chunk[end] as number] === 1) end++;
      if (end === length) {
        this.carry(chunk, start, offset);
        return;
      }
      if (end - start >= MIN_RUN_LENGTH) this.deliver(chunk.subarray(start, end), offset + start);
      position = end + 1;
      sample = position;
    }
    // A printable tail shorter than the lattice can see may continue in the next chunk: carry it.
    let tail = length;
    while (tail > position && PRINTABLE[chunk[tail - 1] as number] === 1) tail--;
    if (tail < length) this.carry(chunk, tail, offset);
  }

  private carry(chunk: Uint8Array, from: number, offset: number): void {
    this.carried = chunk.slice(from);
    this.carriedOffset = offset + from;
    this.trimCarry();
  }

  /** Ends the stream: the carried run, if any, is complete. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.carried.length > 0) this.deliver(this.carried, this.carriedOffset);
    this.carried = new Uint8Array(0);
  }

  private extendCarry(chunk: Uint8Array): void {
    this.carried = concat(this.carried, chunk);
    this.trimCarry();
  }

  /** Hands over what an over-long run holds so far; keeps the overlap so a value across the cut is seen whole. */
  private trimCarry(): void {
    if (this.carried.length <= MAX_RUN_LENGTH) return;
    this.deliver(this.carried, this.carriedOffset);
    // Start the overlap after a separator, so it does not open with the tail of a value cut in two.
    let keep = this.carried.length - RUN_OVERLAP;
    for (let index = keep; index < this.carried.length - MIN_RUN_LENGTH; index++) {
      if (SEPARATOR[this.carried[index] as number] === 1) {
        keep = index + 1;
        break;
      }
    }
    this.carried = this.carried.slice(keep);
    this.carriedOffset += keep;
  }

  private deliver(bytes: Uint8Array, offset: number): void {
    if (bytes.length >= MIN_RUN_LENGTH) this.onRun({ text: latin1.decode(bytes), offset });
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

/**
 * A bzip2 decoder written from the format's public description (Seward's bzip2 1.0 format notes and
 * the "bzip2 format specification" by Joe Tsai): Huffman + MTF/RLE2 + inverse BWT + RLE1.
 * CRCs are not checked: a scanner wants the bytes a lenient reader would see.
 */
import { CorruptDataError, TruncatedDataError, UnsupportedFeatureError } from "./decode-errors.js";

/** Where decoded bytes go, one at a time: bzip2 never reads its output back (blocks are independent). */
export interface ByteOutput {
  pushByte(value: number): void;
}

const MAX_CODE_LENGTH = 20;
const MAX_GROUPS = 6;
const MAX_SELECTORS = 18002;
const GROUP_SIZE = 50;

class BitReader {
  private buffer = 0;
  private count = 0;
  constructor(
    private readonly input: Uint8Array,
    public position: number,
  ) {}

  bits(count: number): number {
    while (this.count < count) {
      if (this.position >= this.input.length) throw new TruncatedDataError("bzip2 data ended early");
      this.buffer = ((this.buffer & 0xffffff) << 8) | (this.input[this.position++] as number);
      this.count += 8;
    }
    this.count -= count;
    return (this.buffer >>> this.count) & ((1 << count) - 1);
  }

  bit(): number {
    return this.bits(1);
  }

  /** Drops the bits left in the current byte (streams are byte-aligned at their ends). */
  align(): void {
    this.count -= this.count % 8;
    this.position -= this.count / 8;
    this.count = 0;
  }
}

interface HuffmanTable {
  minLength: number;
  maxLength: number;
  limit: Int32Array;
  base: Int32Array;
  permutation: Int32Array;
}

function buildTable(lengths: Uint8Array, alphabetSize: number): HuffmanTable {
  let minLength = 32;
  let maxLength = 0;
  for (let index = 0; index < alphabetSize; index++) {
    const length = lengths[index] as number;
    if (length > maxLength) maxLength = length;
    if (length < minLength) minLength = length;
  }
  const permutation = new Int32Array(alphabetSize);
  let next = 0;
  for (let length = minLength; length <= maxLength; length++) {
    for (let symbol = 0; symbol < alphabetSize; symbol++) if (lengths[symbol] === length) permutation[next++] = symbol;
  }
  const base = new Int32Array(MAX_CODE_LENGTH + 2);
  for (let symbol = 0; symbol < alphabetSize; symbol++) {
    const slot = (lengths[symbol] as number) + 1;
    base[slot] = (base[slot] as number) + 1;
  }
  for (let index = 1; index < base.length; index++) base[index] = (base[index] as number) + (base[index - 1] as number);
  const limit = new Int32Array(MAX_CODE_LENGTH + 1);
  let code = 0;
  for (let length = minLength; length <= maxLength; length++) {
    code += (base[length + 1] as number) - (base[length] as number);
    limit[length] = code - 1;
    code <<= 1;
  }
  for (let length = minLength + 1; length <= maxLength; length++) {
    base[length] = (((limit[length - 1] as number) + 1) << 1) - (base[length] as number);
  }
  return { minLength, maxLength, limit, base, permutation };
}

function decodeSymbol(reader: BitReader, table: HuffmanTable, alphabetSize: number): number {
  let length = table.minLength;
  let code = reader.bits(length);
  while (length > table.maxLength || code > (table.limit[length] as number)) {
    length++;
    if (length > table.maxLength) throw new CorruptDataError("bzip2 Huffman code is not in the table");
    code = (code << 1) | reader.bit();
  }
  const index = code - (table.base[length] as number);
  if (index < 0 || index >= alphabetSize) throw new CorruptDataError("bzip2 Huffman code out of range");
  return table.permutation[index] as number;
}

/** Decodes one or more concatenated bzip2 streams. Returns the offset after the last stream. */
export function decodeBzip2(input: Uint8Array, output: ByteOutput, tick?: () => void): number {
  let position = 0;
  let streams = 0;
  while (position + 4 <= input.length && input[position] === 0x42 && input[position + 1] === 0x5a) {
    position = decodeStream(input, position, output, tick);
    streams++;
  }
  if (streams === 0) throw new CorruptDataError("not a bzip2 stream");
  return position;
}

function decodeStream(input: Uint8Array, start: number, output: ByteOutput, tick?: () => void): number {
  if (input[start + 2] !== 0x68) throw new CorruptDataError("bzip2 header is not BZh");
  const level = (input[start + 3] as number) - 0x30;
  if (level < 1 || level > 9) throw new CorruptDataError("bzip2 block size is not 1-9");
  const blockSizeMax = level * 100_000;
  const reader = new BitReader(input, start + 4);
  let tt: Uint32Array | undefined;
  for (;;) {
    tick?.();
    const magicHigh = reader.bits(24);
    const magicLow = reader.bits(24);
    if (magicHigh === 0x177245 && magicLow === 0x385090) {
      reader.bits(16);
      reader.bits(16); // combined CRC, not checked
      reader.align();
      return reader.position;
    }
    if (magicHigh !== 0x314159 || magicLow !== 0x265359) throw new CorruptDataError("bzip2 block magic missing");
    tt ??= new Uint32Array(blockSizeMax);
    decodeBlock(reader, blockSizeMax, tt, output);
  }
}

function decodeBlock(reader: BitReader, blockSizeMax: number, tt: Uint32Array, output: ByteOutput): void {
  reader.bits(16);
  reader.bits(16); // block CRC, not checked
  if (reader.bit() !== 0) throw new UnsupportedFeatureError("bzip2 randomised blocks (bzip2 0.9.0) are not supported");
  const originPointer = reader.bits(24);

  const used: number[] = [];
  const ranges = reader.bits(16);
  for (let range = 0; range < 16; range++) {
    if ((ranges & (0x8000 >>> range)) === 0) continue;
    const bits = reader.bits(16);
    for (let index = 0; index < 16; index++) if (bits & (0x8000 >>> index)) used.push(range * 16 + index);
  }
  if (used.length === 0) throw new CorruptDataError("bzip2 block uses no symbols");
  const alphabetSize = used.length + 2;

  const groups = reader.bits(3);
  if (groups < 2 || groups > MAX_GROUPS) throw new CorruptDataError("bzip2 block has an invalid Huffman group count");
  const selectorCount = reader.bits(15);
  if (selectorCount < 1) throw new CorruptDataError("bzip2 block has no selectors");
  const groupOrder = Array.from({ length: groups }, (_, index) => index);
  const selectors = new Uint8Array(Math.min(selectorCount, MAX_SELECTORS));
  for (let index = 0; index < selectorCount; index++) {
    let rank = 0;
    while (reader.bit()) {
      rank++;
      if (rank >= groups) throw new CorruptDataError("bzip2 selector out of range");
    }
    const group = groupOrder[rank] as number;
    groupOrder.splice(rank, 1);
    groupOrder.unshift(group);
    if (index < selectors.length) selectors[index] = group;
  }

  const tables: HuffmanTable[] = [];
  const lengths = new Uint8Array(alphabetSize);
  for (let group = 0; group < groups; group++) {
    let length = reader.bits(5);
    for (let symbol = 0; symbol < alphabetSize; symbol++) {
      for (;;) {
        if (length < 1 || length > MAX_CODE_LENGTH) throw new CorruptDataError("bzip2 code length out of range");
        if (!reader.bit()) break;
        length += reader.bit() ? -1 : 1;
      }
      lengths[symbol] = length;
    }
    tables.push(buildTable(lengths, alphabetSize));
  }

  // Huffman → RUNA/RUNB runs and move-to-front → the BWT block in tt's low bytes.
  const mtf = Array.from({ length: used.length }, (_, index) => index);
  const counts = new Int32Array(256);
  const endOfBlock = alphabetSize - 1;
  let count = 0;
  let selectorIndex = 0;
  let groupLeft = 0;
  let table = tables[0] as HuffmanTable;
  let runLength = 0;
  let runWeight = 0;
  for (;;) {
    if (groupLeft === 0) {
      if (selectorIndex >= selectors.length) throw new CorruptDataError("bzip2 block ran out of selectors");
      table = tables[selectors[selectorIndex++] as number] as HuffmanTable;
      groupLeft = GROUP_SIZE;
    }
    groupLeft--;
    const symbol = decodeSymbol(reader, table, alphabetSize);
    if (symbol <= 1) {
      if (runWeight === 0) runWeight = 1;
      runLength += runWeight << symbol;
      runWeight <<= 1;
      if (runLength > blockSizeMax) throw new CorruptDataError("bzip2 run is longer than the block");
      continue;
    }
    if (runWeight !== 0) {
      if (count + runLength > blockSizeMax) throw new CorruptDataError("bzip2 block is larger than declared");
      const value = used[mtf[0] as number] as number;
      counts[value] = (counts[value] as number) + runLength;
      tt.fill(value, count, count + runLength);
      count += runLength;
      runLength = 0;
      runWeight = 0;
    }
    if (symbol === endOfBlock) break;
    const rank = symbol - 1;
    const index = mtf[rank] as number;
    mtf.splice(rank, 1);
    mtf.unshift(index);
    const value = used[index] as number;
    if (count >= blockSizeMax) throw new CorruptDataError("bzip2 block is larger than declared");
    counts[value] = (counts[value] as number) + 1;
    tt[count++] = value;
  }
  if (originPointer >= count) throw new CorruptDataError("bzip2 origin pointer outside the block");

  // Inverse BWT (bzip2's "fast" layout: byte in the low 8 bits, next index above it).
  const starts = new Int32Array(256);
  for (let value = 0, sum = 0; value < 256; value++) {
    starts[value] = sum;
    sum += counts[value] as number;
  }
  for (let index = 0; index < count; index++) {
    const value = (tt[index] as number) & 0xff;
    const target = starts[value] as number;
    tt[target] = ((tt[target] as number) | (index << 8)) >>> 0;
    starts[value] = target + 1;
  }

  // Undo the initial run-length encoding while emitting.
  let pointer = (tt[originPointer] as number) >>> 8;
  let last = -1;
  let repeat = 0;
  for (let emitted = 0; emitted < count; emitted++) {
    const entry = tt[pointer] as number;
    const value = entry & 0xff;
    pointer = entry >>> 8;
    if (repeat === 4) {
      for (let copy = 0; copy < value; copy++) output.pushByte(last);
      repeat = 0;
      continue;
    }
    if (value === last) repeat++;
    else {
      last = value;
      repeat = 1;
    }
    output.pushByte(value);
  }
}

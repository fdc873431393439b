/**
 * The decoders of xz's and 7z's "simple" filters (branch converters, BCJ) and the delta filter, written
 * from the xz file-format specification and the behaviour liblzma documents for its simple/ coders:
 * each converter turns absolute branch targets back into relative ones at the instruction positions
 * it recognises. A converter is called on a buffer with `position` = the uncompressed offset of its
 * first byte (plus the filter's start offset) and returns how many bytes it finished; the rest (an
 * instruction cut by the buffer's end) is held and passed again with more data, and at the end of the
 * stream passed on unconverted, as liblzma does.
 */
import { CorruptDataError } from "./decode-errors.js";

export interface SimpleFilter {
  /** Converts `buffer` in place; returns how many leading bytes are final. */
  convert(buffer: Uint8Array, position: number): number;
}

const u32 = (value: number) => value >>> 0;

function read32le(buffer: Uint8Array, at: number): number {
  return u32(
    (buffer[at] as number) |
      ((buffer[at + 1] as number) << 8) |
      ((buffer[at + 2] as number) << 16) |
      ((buffer[at + 3] as number) << 24),
  );
}

function write32le(buffer: Uint8Array, at: number, value: number): void {
  buffer[at] = value & 0xff;
  buffer[at + 1] = (value >>> 8) & 0xff;
  buffer[at + 2] = (value >>> 16) & 0xff;
  buffer[at + 3] = (value >>> 24) & 0xff;
}

const isMostSignificantByte = (byte: number) => byte === 0 || byte === 0xff;
const X86_MASK_ALLOWED = [true, true, true, false, true, false, false, false];
const X86_MASK_BIT = [0, 1, 2, 2, 3, 3, 3, 3];

/** x86 (32 and 64 bit): E8 CALL and E9 JMP with a 32-bit displacement whose top byte is 00 or FF. */
class X86Filter implements SimpleFilter {
  private previousMask = 0;
  private previousPosition = u32(-5);

  convert(buffer: Uint8Array, position: number): number {
    if (buffer.length < 5) return 0;
    let previousMask = this.previousMask;
    let previousPosition = this.previousPosition;
    if (u32(position - previousPosition) > 5) previousPosition = u32(position - 5);
    const limit = buffer.length - 5;
    let index = 0;
    while (index <= limit) {
      let byte = buffer[index] as number;
      if (byte !== 0xe8 && byte !== 0xe9) {
        index++;
        continue;
      }
      const offset = u32(position + index - previousPosition);
      previousPosition = u32(position + index);
      if (offset > 5) {
        previousMask = 0;
      } else {
        for (let step = 0; step < offset; step++) previousMask = ((previousMask & 0x77) << 1) & 0xff;
      }
      byte = buffer[index + 4] as number;
      if (isMostSignificantByte(byte) && X86_MASK_ALLOWED[(previousMask >>> 1) & 0x7] && previousMask >>> 1 < 0x10) {
        let source = u32(
          (byte << 24) |
            ((buffer[index + 3] as number) << 16) |
            ((buffer[index + 2] as number) << 8) |
            (buffer[index + 1] as number),
        );
        let destination: number;
        for (;;) {
          destination = u32(source - u32(position + index + 5));
          if (previousMask === 0) break;
          const bit = (X86_MASK_BIT[previousMask >>> 1] as number) * 8;
          if (!isMostSignificantByte((destination >>> (24 - bit)) & 0xff)) break;
          source = u32(destination ^ (2 ** (32 - bit) - 1));
        }
        buffer[index + 4] = (destination >>> 24) & 1 ? 0xff : 0x00;
        buffer[index + 3] = (destination >>> 16) & 0xff;
        buffer[index + 2] = (destination >>> 8) & 0xff;
        buffer[index + 1] = destination & 0xff;
        index += 5;
        previousMask = 0;
      } else {
        index++;
        previousMask |= 1;
        if (isMostSignificantByte(byte)) previousMask |= 0x10;
      }
    }
    this.previousMask = previousMask;
    this.previousPosition = previousPosition;
    return index;
  }
}

/** PowerPC (big endian): `bl` (opcode 18, AA = 0, LK = 1). */
const powerPc: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 4 <= buffer.length; index += 4) {
    if ((buffer[index] as number) >>> 2 !== 0x12 || ((buffer[index + 3] as number) & 3) !== 1) continue;
    const source = u32(
      (((buffer[index] as number) & 3) << 24) |
        ((buffer[index + 1] as number) << 16) |
        ((buffer[index + 2] as number) << 8) |
        ((buffer[index + 3] as number) & ~3),
    );
    const destination = u32(source - u32(position + index));
    buffer[index] = 0x48 | ((destination >>> 24) & 0x03);
    buffer[index + 1] = (destination >>> 16) & 0xff;
    buffer[index + 2] = (destination >>> 8) & 0xff;
    buffer[index + 3] = ((buffer[index + 3] as number) & 0x03) | (destination & 0xfc);
  }
  return index;
};

const IA64_BRANCH_TABLE = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 6, 6, 0, 0, 7, 7, 4, 4, 0, 0, 4, 4, 0, 0,
];

/** IA-64 (Itanium): 16-byte bundles; IP-relative branches in the slots the template marks. */
const ia64: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 16 <= buffer.length; index += 16) {
    const mask = IA64_BRANCH_TABLE[(buffer[index] as number) & 0x1f] as number;
    for (let slot = 0, bitPosition = 5; slot < 3; slot++, bitPosition += 41) {
      if (((mask >>> slot) & 1) === 0) continue;
      const bytePosition = bitPosition >>> 3;
      const bitRest = BigInt(bitPosition & 7);
      let instruction = 0n;
      for (let byte = 0; byte < 6; byte++) {
        instruction |= BigInt(buffer[index + byte + bytePosition] as number) << BigInt(8 * byte);
      }
      let normalized = instruction >> bitRest;
      if (((normalized >> 37n) & 0xfn) !== 0x5n || ((normalized >> 9n) & 0x7n) !== 0n) continue;
      let source = Number((normalized >> 13n) & 0xfffffn);
      source |= Number((normalized >> 36n) & 1n) << 20;
      source = u32(source << 4);
      const destination = u32(source - u32(position + index)) >>> 4;
      normalized &= ~(0x8fffffn << 13n);
      normalized |= BigInt(destination & 0xfffff) << 13n;
      normalized |= BigInt(destination & 0x100000) << (36n - 20n);
      instruction &= (1n << bitRest) - 1n;
      instruction |= normalized << bitRest;
      for (let byte = 0; byte < 6; byte++) {
        buffer[index + byte + bytePosition] = Number((instruction >> BigInt(8 * byte)) & 0xffn);
      }
    }
  }
  return index;
};

/** ARM (little endian): `bl` with the 0xEB condition-always opcode byte. */
const arm: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 4 <= buffer.length; index += 4) {
    if (buffer[index + 3] !== 0xeb) continue;
    const source =
      (((buffer[index + 2] as number) << 16) | ((buffer[index + 1] as number) << 8) | (buffer[index] as number)) * 4;
    const destination = u32(source - u32(position + index + 8)) >>> 2;
    buffer[index + 2] = (destination >>> 16) & 0xff;
    buffer[index + 1] = (destination >>> 8) & 0xff;
    buffer[index] = destination & 0xff;
  }
  return index;
};

/** ARM-Thumb: the two halves of a Thumb `bl` (F000 F800 patterns), on 2-byte steps. */
const armThumb: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 4 <= buffer.length; index += 2) {
    if (((buffer[index + 1] as number) & 0xf8) !== 0xf0 || ((buffer[index + 3] as number) & 0xf8) !== 0xf8) continue;
    const source =
      ((((buffer[index + 1] as number) & 7) << 19) |
        ((buffer[index] as number) << 11) |
        (((buffer[index + 3] as number) & 7) << 8) |
        (buffer[index + 2] as number)) *
      2;
    const destination = u32(source - u32(position + index + 4)) >>> 1;
    buffer[index + 1] = 0xf0 | ((destination >>> 19) & 0x7);
    buffer[index] = (destination >>> 11) & 0xff;
    buffer[index + 3] = 0xf8 | ((destination >>> 8) & 0x7);
    buffer[index + 2] = destination & 0xff;
    index += 2;
  }
  return index;
};

/** SPARC (big endian): `call` whose displacement's top bits are a sign extension. */
const sparc: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 4 <= buffer.length; index += 4) {
    const first = buffer[index] as number;
    const second = buffer[index + 1] as number;
    if (!((first === 0x40 && (second & 0xc0) === 0x00) || (first === 0x7f && (second & 0xc0) === 0xc0))) continue;
    const source = u32(
      u32((first << 24) | (second << 16) | ((buffer[index + 2] as number) << 8) | (buffer[index + 3] as number)) * 4,
    );
    let destination = u32(source - u32(position + index)) >>> 2;
    destination = u32(
      ((u32(0 - ((destination >>> 22) & 1)) << 22) & 0x3fffffff) | (destination & 0x3fffff) | 0x40000000,
    );
    write32be(buffer, index, destination);
  }
  return index;
};

function write32be(buffer: Uint8Array, at: number, value: number): void {
  buffer[at] = (value >>> 24) & 0xff;
  buffer[at + 1] = (value >>> 16) & 0xff;
  buffer[at + 2] = (value >>> 8) & 0xff;
  buffer[at + 3] = value & 0xff;
}

/** ARM64: `bl` (26-bit word offset) and `adrp` (21-bit page offset, only within +-512 MiB as the encoder converts). */
const arm64: SimpleFilter["convert"] = (buffer, position) => {
  let index = 0;
  for (; index + 4 <= buffer.length; index += 4) {
    const pc = u32(position + index);
    let instruction = read32le(buffer, index);
    if (instruction >>> 26 === 0x25) {
      const source = instruction;
      const negated = u32(0 - (pc >>> 2));
      instruction = u32(0x94000000 | (u32(source + negated) & 0x03ffffff));
      write32le(buffer, index, instruction);
    } else if (u32(instruction & 0x9f000000) === 0x90000000) {
      const source = u32(((instruction >>> 29) & 3) | ((instruction >>> 3) & 0x001ffffc));
      if (u32(source + 0x00020000) & 0x001c0000) continue;
      const destination = u32(source + u32(0 - (pc >>> 12)));
      instruction = u32(instruction & 0x9000001f);
      instruction = u32(instruction | ((destination & 3) << 29));
      instruction = u32(instruction | ((destination & 0x0003fffc) << 3));
      instruction = u32(instruction | (u32(0 - (destination & 0x00020000)) & 0x00e00000));
      write32le(buffer, index, instruction);
    }
  }
  return index;
};

/** Delta: each byte adds the byte `distance` back (1..256); a 256-byte history carries across buffers. */
class DeltaFilter implements SimpleFilter {
  private readonly history = new Uint8Array(256);
  private index = 0;
  constructor(private readonly distance: number) {}

  convert(buffer: Uint8Array): number {
    const { history, distance } = this;
    let index = this.index;
    for (let at = 0; at < buffer.length; at++) {
      const value = ((buffer[at] as number) + (history[(distance + index) & 0xff] as number)) & 0xff;
      buffer[at] = value;
      history[index & 0xff] = value;
      index = (index - 1) & 0xff;
    }
    this.index = index;
    return buffer.length;
  }
}

export const XZ_FILTER_NAMES: Record<number, string> = {
  3: "delta",
  4: "BCJ x86",
  5: "BCJ PowerPC",
  6: "BCJ IA-64",
  7: "BCJ ARM",
  8: "BCJ ARM-Thumb",
  9: "BCJ SPARC",
  10: "BCJ ARM64",
  11: "BCJ RISC-V",
};

const BRANCH_CONVERTERS: Record<number, () => SimpleFilter> = {
  4: () => new X86Filter(),
  5: () => ({ convert: powerPc }),
  6: () => ({ convert: ia64 }),
  7: () => ({ convert: arm }),
  8: () => ({ convert: armThumb }),
  9: () => ({ convert: sparc }),
  10: () => ({ convert: arm64 }),
};

/** Whether an xz filter id is one decoded here ahead of LZMA2. */
export function isSupportedXzFilter(id: number): boolean {
  return id === 3 || id in BRANCH_CONVERTERS;
}

/**
 * A filter and the position it starts at from its xz properties: a branch converter takes none or a
 * 4-byte start offset, delta one byte (distance - 1).
 */
export function createXzFilter(id: number, properties: Uint8Array): { filter: SimpleFilter; start: number } {
  if (id === 3) {
    if (properties.length !== 1) throw new CorruptDataError("xz delta filter properties are not one byte");
    return { filter: new DeltaFilter((properties[0] as number) + 1), start: 0 };
  }
  const make = BRANCH_CONVERTERS[id];
  if (!make) throw new CorruptDataError(`xz filter 0x${id.toString(16)} has no decoder`);
  if (properties.length !== 0 && properties.length !== 4) {
    throw new CorruptDataError(`xz ${XZ_FILTER_NAMES[id]} properties are ${properties.length} bytes`);
  }
  return { filter: make(), start: properties.length === 4 ? read32le(properties, 0) : 0 };
}

/** 7z's coder ids of the same filters. */
const SEVEN_ZIP_IDS: Record<string, number> = {
  "03": 3,
  "03030103": 4,
  "03030205": 5,
  "03030401": 6,
  "03030501": 7,
  "03030701": 8,
  "03030805": 9,
  "0a": 10,
};

export function isSupportedSevenZipFilter(id: string): boolean {
  return id in SEVEN_ZIP_IDS;
}

/** Applies a 7z filter coder to a whole decoded folder in place. */
export function applySevenZipFilter(id: string, properties: Uint8Array, data: Uint8Array): void {
  const xzId = SEVEN_ZIP_IDS[id];
  if (xzId === undefined) throw new CorruptDataError(`7z filter ${id} has no decoder`);
  // 7z keeps the same properties: delta's distance byte (1 when absent), a branch converter's optional start offset.
  const fixed =
    xzId === 3 ? Uint8Array.of(properties[0] ?? 0) : properties.length === 4 ? properties : new Uint8Array(0);
  const { filter, start } = createXzFilter(xzId, fixed);
  filter.convert(data, start);
}

interface Appendable {
  append(chunk: Uint8Array): void;
}

/**
 * Runs a filter over bytes as they are appended and passes the converted ones on; `finish` passes on
 * the held tail unconverted (the end of the block).
 */
export class FilterStage implements Appendable {
  private held: Uint8Array = new Uint8Array(0);
  private position: number;

  constructor(
    private readonly filter: SimpleFilter,
    start: number,
    private readonly next: Appendable,
  ) {
    this.position = start;
  }

  append(chunk: Uint8Array): void {
    let data: Uint8Array;
    if (this.held.length === 0) {
      data = chunk.slice();
    } else {
      data = new Uint8Array(this.held.length + chunk.length);
      data.set(this.held);
      data.set(chunk, this.held.length);
    }
    const done = this.filter.convert(data, this.position);
    this.position = u32(this.position + done);
    if (done > 0) this.next.append(data.subarray(0, done));
    this.held = data.slice(done);
  }

  finish(): void {
    if (this.held.length > 0) this.next.append(this.held);
    this.held = new Uint8Array(0);
  }
}

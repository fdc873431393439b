/**
 * Tensor bytes to numbers, a window at a time. The engine delivers each tensor as little-endian
 * chunks of whole elements (whole blocks for GGML types) with `chunk.byteOffset` aligned to the
 * element size; a decoder turns one chunk into a Float32Array (Float64Array where float32 would round
 * the values) without allocating per element.
 *
 * Typed-array views read in the platform's byte order; every platform Node runs on is little-endian.
 */

import { dtypeInfo, type TensorDType } from "@modelaudit/core";
import { float8Table, float16Table } from "./float-tables.js";
import { type BlockDequantizer, blockDequantizer } from "./ggml-blocks.js";
import { Q8_0Kernel } from "./q8-0-kernel.js";

export type FloatWindow = Float32Array | Float64Array;

/**
 * How each decodable dtype becomes numbers. `view`: the bytes already are the numbers; `bits`: a
 * table or shift to float32 bits; `convert`: element by element into the output; `blocks`: GGML.
 */
type Plan =
  | { kind: "view"; output: "f32" | "f64" }
  | { kind: "bits"; read: (input: Uint8Array, count: number, out: Uint32Array) => void }
  | { kind: "convert"; output: "f32" | "f64"; read: (input: Uint8Array, count: number, out: FloatWindow) => void }
  | { kind: "blocks"; dequantize: BlockDequantizer };

/** Decodes one dtype's chunks. Create with `floatDecoder`; null there means the dtype has no numbers to decode. */
export class FloatDecoder {
  /** Bytes and elements per block (per element for plain types). */
  readonly blockBytes: number;
  readonly blockElements: number;
  /** The window type decode returns: float64 for f64 and the 32- and 64-bit integers, float32 otherwise. */
  readonly output: "f32" | "f64";
  private buffer = new ArrayBuffer(0);
  /** A copy of a chunk that arrived misaligned (only outside the engine's contract). */
  private aligned = new Uint8Array(0);

  constructor(
    readonly dtype: TensorDType,
    private readonly plan: Plan,
  ) {
    const info = dtypeInfo(dtype);
    this.blockBytes = info.blockBytes;
    this.blockElements = info.blockElements;
    this.output = plan.kind === "view" || plan.kind === "convert" ? plan.output : "f32";
  }

  /** Elements in the whole blocks of `byteLength` bytes (a trailing partial block is not decoded). */
  elementsIn(byteLength: number): number {
    return Math.floor(byteLength / this.blockBytes) * this.blockElements;
  }

  /**
   * The values of the whole blocks in `chunk`. The window is a view on the chunk (f32, f64) or on
   * this decoder's buffer: valid until the next call, and only while the chunk is.
   */
  decode(chunk: Uint8Array): FloatWindow {
    const blocks = Math.floor(chunk.length / this.blockBytes);
    const count = blocks * this.blockElements;
    const plan = this.plan;
    if (plan.kind === "blocks") {
      const out = this.floats32(count);
      plan.dequantize(chunk, blocks, out);
      return out;
    }
    const input = this.align(chunk, count);
    switch (plan.kind) {
      case "view":
        return plan.output === "f32"
          ? new Float32Array(input.buffer, input.byteOffset, count)
          : new Float64Array(input.buffer, input.byteOffset, count);
      case "bits": {
        const out = this.floats32(count);
        plan.read(input, count, new Uint32Array(out.buffer, 0, count));
        return out;
      }
      case "convert": {
        const out = plan.output === "f32" ? this.floats32(count) : this.floats64(count);
        plan.read(input, count, out);
        return out;
      }
    }
  }

  private floats32(count: number): Float32Array {
    this.reserve(count * 4);
    return new Float32Array(this.buffer, 0, count);
  }

  private floats64(count: number): Float64Array {
    this.reserve(count * 8);
    return new Float64Array(this.buffer, 0, count);
  }

  private reserve(bytes: number): void {
    if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(Math.max(bytes, this.buffer.byteLength * 2));
  }

  /** The chunk itself when its offset suits typed-array views of the element size; else an aligned copy. */
  private align(chunk: Uint8Array, count: number): Uint8Array {
    const size = this.blockBytes;
    if (chunk.byteOffset % size === 0) return chunk;
    if (this.aligned.length < count * size) this.aligned = new Uint8Array(count * size);
    this.aligned.set(chunk.subarray(0, count * size));
    return this.aligned;
  }
}

function halves(input: Uint8Array, count: number): Uint16Array {
  return new Uint16Array(input.buffer, input.byteOffset, count);
}

function float16Bits(input: Uint8Array, count: number, out: Uint32Array): void {
  const table = float16Table();
  const words = halves(input, count);
  for (let index = 0; index < count; index++) out[index] = table[words[index]!]!;
}

/** A bfloat16 is the top half of a float32: a shift, no table. */
function bfloat16Bits(input: Uint8Array, count: number, out: Uint32Array): void {
  const words = halves(input, count);
  for (let index = 0; index < count; index++) out[index] = words[index]! << 16;
}

function float8Bits(table: Uint32Array) {
  return (input: Uint8Array, count: number, out: Uint32Array): void => {
    for (let index = 0; index < count; index++) out[index] = table[input[index]!]!;
  };
}

type ArrayOf = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<number>;

/** Integers that a float of the output type holds exactly: copied through a typed view. */
function integers(View: ArrayOf) {
  return (input: Uint8Array, count: number, out: FloatWindow): void => {
    const values = new View(input.buffer, input.byteOffset, count);
    for (let index = 0; index < count; index++) out[index] = values[index]!;
  };
}

/** 64-bit integers as the nearest float64 (as NumPy's astype(float64)): high word · 2^32 + low word, one rounding. */
function integers64(signedHigh: boolean) {
  return (input: Uint8Array, count: number, out: FloatWindow): void => {
    const low = new Uint32Array(input.buffer, input.byteOffset, count * 2);
    const high = signedHigh ? new Int32Array(input.buffer, input.byteOffset, count * 2) : low;
    for (let index = 0; index < count; index++) out[index] = high[2 * index + 1]! * 4294967296 + low[2 * index]!;
  };
}

/** Any non-zero byte is true, as NumPy reads a bool array's bytes. */
function booleans(input: Uint8Array, count: number, out: FloatWindow): void {
  for (let index = 0; index < count; index++) out[index] = input[index] === 0 ? 0 : 1;
}

function planFor(dtype: TensorDType): Plan | null {
  switch (dtype) {
    case "f32":
      return { kind: "view", output: "f32" };
    case "f64":
      return { kind: "view", output: "f64" };
    case "f16":
      return { kind: "bits", read: float16Bits };
    case "bf16":
      return { kind: "bits", read: bfloat16Bits };
    case "f8_e4m3":
    case "f8_e4m3fnuz":
    case "f8_e5m2":
    case "f8_e5m2fnuz":
      return { kind: "bits", read: float8Bits(float8Table(dtype)) };
    case "i8":
      return { kind: "convert", output: "f32", read: integers(Int8Array) };
    case "u8":
      return { kind: "convert", output: "f32", read: integers(Uint8Array) };
    case "i16":
      return { kind: "convert", output: "f32", read: integers(Int16Array) };
    case "u16":
      return { kind: "convert", output: "f32", read: integers(Uint16Array) };
    case "i32":
      return { kind: "convert", output: "f64", read: integers(Int32Array) };
    case "u32":
      return { kind: "convert", output: "f64", read: integers(Uint32Array) };
    case "i64":
      return { kind: "convert", output: "f64", read: integers64(true) };
    case "u64":
      return { kind: "convert", output: "f64", read: integers64(false) };
    case "bool":
      return { kind: "convert", output: "f32", read: booleans };
    default: {
      // GGML blocks; complex numbers, iq*/tq*/mxfp4 blocks and opaque bytes are not decoded.
      // q8_0, the commonest GGUF type, by the SIMD kernel where it runs (the same values).
      const kernel = dtype === "q8_0" ? Q8_0Kernel.get() : null;
      if (kernel) return { kind: "blocks", dequantize: (bytes, blocks, out) => kernel.decode(bytes, blocks, out) };
      const dequantize = blockDequantizer(dtype, dtypeInfo(dtype).blockBytes);
      return dequantize ? { kind: "blocks", dequantize } : null;
    }
  }
}

/**
 * A decoder for `dtype`, or null when its elements are not real numbers this package decodes:
 * complex (c64, c128), the GGML iq*, tq* and mxfp4 blocks, and opaque bytes.
 */
export function floatDecoder(dtype: TensorDType): FloatDecoder | null {
  const plan = planFor(dtype);
  return plan ? new FloatDecoder(dtype, plan) : null;
}

export function isDecodable(dtype: TensorDType): boolean {
  return planFor(dtype) !== null;
}

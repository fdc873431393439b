/**
 * Small float formats to float32 bit patterns, by lookup tables built on first use. Tables hold the
 * float32 *bits* (not numbers) so decoding is an integer copy: exact, and NaN payloads of float16
 * survive as NumPy's `astype(np.float32)` keeps them.
 */

let float16: Uint32Array | null = null;
const float8 = new Map<Float8Format, Uint32Array>();

/** The canonical quiet NaN (what `NaN` stores as in a Float32Array, and `np.float32("nan")`). */
export const CANONICAL_NAN_BITS = 0x7fc00000;

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float32 bits of a number (rounded to float32; any NaN becomes the canonical NaN). */
export function float32Bits(value: number): number {
  if (Number.isNaN(value)) return CANONICAL_NAN_BITS;
  scratch[0] = value;
  return scratchBits[0] as number;
}

/** IEEE 754 binary16 → binary32 bits, for all 65536 patterns (256 KiB). */
export function float16Table(): Uint32Array {
  if (float16) return float16;
  const table = new Uint32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = (bits & 0x8000) << 16;
    const exponent = (bits >>> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0x1f) {
      // Infinity or NaN: the fraction (NaN payload) moves to the top of the float32 fraction.
      table[bits] = (sign | 0x7f800000 | (fraction << 13)) >>> 0;
    } else if (exponent === 0) {
      // Zero or subnormal (fraction · 2^-24): exact in float32, normalised by the conversion.
      table[bits] = (sign | float32Bits(fraction * 2 ** -24)) >>> 0;
    } else {
      // Rebias the exponent from 15 to 127.
      table[bits] = (sign | ((exponent + 112) << 23) | (fraction << 13)) >>> 0;
    }
  }
  float16 = table;
  return table;
}

/** One binary16 pattern as a number (block scales of GGML types). */
export function float16ToNumber(bits: number): number {
  const table = float16Table();
  scratchBits[0] = table[bits & 0xffff] as number;
  return scratch[0] as number;
}

/**
 * The four 8-bit float formats of ONNX (FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ) and
 * ml_dtypes (float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz):
 * - e4m3 (FN): bias 7, no infinities, S.1111.111 is NaN, max 448.
 * - e4m3fnuz: bias 8, no infinities and no negative zero, 0x80 is the only NaN, max 240.
 * - e5m2: bias 15, IEEE-like: S.11111.00 is ±Inf, S.11111.xx (xx ≠ 0) NaN, max 57344.
 * - e5m2fnuz: bias 16, no infinities and no negative zero, 0x80 is the only NaN, max 57344.
 * Exponent 0 is subnormal in all four: fraction · 2^(1 - bias - mantissaBits).
 */
export type Float8Format = "f8_e4m3" | "f8_e4m3fnuz" | "f8_e5m2" | "f8_e5m2fnuz";

interface Float8Layout {
  exponentBits: number;
  bias: number;
  /** "fn": all-ones exponent and fraction is NaN; "fnuz": 0x80 is NaN; "ieee": all-ones exponent is Inf/NaN. */
  special: "fn" | "fnuz" | "ieee";
}

const FLOAT8_LAYOUTS: Readonly<Record<Float8Format, Float8Layout>> = {
  f8_e4m3: { exponentBits: 4, bias: 7, special: "fn" },
  f8_e4m3fnuz: { exponentBits: 4, bias: 8, special: "fnuz" },
  f8_e5m2: { exponentBits: 5, bias: 15, special: "ieee" },
  f8_e5m2fnuz: { exponentBits: 5, bias: 16, special: "fnuz" },
};

/** A float8 pattern as a number, by the format's definition (NaN for every NaN pattern). */
export function decodeFloat8(byte: number, format: Float8Format): number {
  const { exponentBits, bias, special } = FLOAT8_LAYOUTS[format];
  const mantissaBits = 7 - exponentBits;
  const exponentMax = (1 << exponentBits) - 1;
  const mantissaMax = (1 << mantissaBits) - 1;
  const negative = (byte & 0x80) !== 0;
  const exponent = (byte >>> mantissaBits) & exponentMax;
  const fraction = byte & mantissaMax;
  if (special === "fnuz" && byte === 0x80) return Number.NaN;
  if (special === "fn" && exponent === exponentMax && fraction === mantissaMax) return Number.NaN;
  if (special === "ieee" && exponent === exponentMax) {
    if (fraction !== 0) return Number.NaN;
    return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const magnitude =
    exponent === 0
      ? fraction * 2 ** (1 - bias - mantissaBits)
      : (1 + fraction / (mantissaMax + 1)) * 2 ** (exponent - bias);
  return negative ? -magnitude : magnitude;
}

/** float8 → float32 bits for all 256 patterns of one format (NaN as the canonical NaN). */
export function float8Table(format: Float8Format): Uint32Array {
  let table = float8.get(format);
  if (table) return table;
  table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const value = decodeFloat8(byte, format);
    // float32Bits keeps the sign of -0 (e4m3 and e5m2 have a negative zero).
    table[byte] = float32Bits(value);
  }
  float8.set(format, table);
  return table;
}

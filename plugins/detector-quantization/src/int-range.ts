/**
 * How much of its integer range an 8-bit quantized weight uses, from the exact value histogram
 * (the shared statistics' low-byte histogram is the whole byte of an int8 or uint8 element).
 *
 * A quantizer picks the scale so the largest weight of each channel (or of the tensor) lands on the
 * end of the range: a per-channel int8 weight has about one value per row at ±127 and the rest spread
 * between. Many values pinned at the ends mean the weights were clipped (scaled up and clamped, or a
 * scale too small for them); a handful of levels in use means a scale far too large, which rounds
 * most weights to the same few values.
 */

export interface RangeUse {
  values: number;
  /** Values at the ends of the range (-128, -127 and 127 for int8; 0 and 255 for uint8). */
  saturated: number;
  /** Distinct values present. */
  levels: number;
  min: number;
  max: number;
}

export function rangeUse(histogram: Float64Array, signed: boolean): RangeUse {
  let values = 0;
  let levels = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let byte = 0; byte < 256; byte++) {
    const count = histogram[byte]!;
    if (count === 0) continue;
    values += count;
    levels++;
    const value = signed && byte >= 128 ? byte - 256 : byte;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const ends = signed ? [0x80, 0x81, 0x7f] : [0, 255];
  const saturated = ends.reduce((sum, byte) => sum + histogram[byte]!, 0);
  return { values, saturated, levels, min, max };
}

/** Fewest values judged: below this a histogram says little. */
export const MIN_RANGE_VALUES = 1024;
/** Fewer distinct levels than this (of 256) is a barely used range: under 4 bits of the 8. */
export const MIN_LEVELS = 16;

export type RangeVerdict = { kind: "saturated"; fraction: number; expected: number } | { kind: "narrow" } | null;

/**
 * `rows` is the number of output channels (1 for a vector): each contributes about one value at the
 * range's end by construction, so saturation counts only beyond four per row.
 */
export function judgeRange(use: RangeUse, rows: number, maxSaturation: number): RangeVerdict {
  if (use.values < MIN_RANGE_VALUES) return null;
  const expected = 4 * Math.max(1, rows);
  const fraction = use.saturated / use.values;
  if (fraction > maxSaturation && use.saturated > expected) return { kind: "saturated", fraction, expected };
  if (use.levels < MIN_LEVELS) return { kind: "narrow" };
  return null;
}

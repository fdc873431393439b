/**
 * The largest absolute value of each slice along a tensor's first dimension (rows of a 2-D weight,
 * output channels of a convolution), and where in the row it sits: with `RowNorms`, whether one
 * value carries a row (max² against norm²). Same row-major reading and bound as RowNorms. A NaN in
 * a row is skipped (non-finite values are counted elsewhere); an infinity is the row's maximum.
 */

import type { FloatWindow } from "./decode.js";
import { DEFAULT_MAX_ROWS } from "./row-norms.js";

export class RowMaxima {
  readonly rows: number;
  readonly rowLength: number;
  private readonly maxima: Float64Array;
  private readonly where: Float64Array;
  private row = 0;
  private position = 0;

  /** Null when the shape has no rows: rank below 2, or an empty dimension. */
  static for(shape: readonly number[], maxRows = DEFAULT_MAX_ROWS): RowMaxima | null {
    if (shape.length < 2) return null;
    const rows = shape[0]!;
    const rowLength = shape.slice(1).reduce((product, dimension) => product * dimension, 1);
    if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(rowLength) || rows <= 0 || rowLength <= 0) return null;
    return new RowMaxima(rows, rowLength, maxRows);
  }

  private constructor(rows: number, rowLength: number, maxRows: number) {
    this.rows = rows;
    this.rowLength = rowLength;
    const kept = Math.min(rows, Math.max(0, maxRows));
    this.maxima = new Float64Array(kept);
    this.where = new Float64Array(kept);
  }

  get truncated(): boolean {
    return this.rows > this.maxima.length;
  }

  get kept(): number {
    return this.maxima.length;
  }

  /** The next values of the tensor, in order. */
  add(values: FloatWindow): void {
    const maxima = this.maxima;
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    let index = 0;
    while (index < values.length && row < maxima.length) {
      const end = Math.min(values.length, index + rowLength - position);
      let best = maxima[row]!;
      let bestAt = -1;
      for (let at = index; at < end; at++) {
        const value = values[at]!;
        const magnitude = value < 0 ? -value : value;
        if (magnitude > best) {
          best = magnitude;
          bestAt = at;
        }
      }
      if (bestAt >= 0) {
        maxima[row] = best;
        this.where[row] = position + (bestAt - index);
      }
      position += end - index;
      index = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
  }

  /** Max |value| of each kept row (0 for rows not reached or all zero). */
  values(): Float64Array {
    return this.maxima;
  }

  /** Index inside its row of each row's max |value| (0 when the row is all zero). */
  positions(): Float64Array {
    return this.where;
  }
}

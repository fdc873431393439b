/**
 * L2 norms of a tensor's slices along its first dimension: rows of a 2-D weight ([out, in]), output
 * channels of a 4-D convolution weight ([out, in, kh, kw]), and likewise for any rank ≥ 2. Shapes are
 * read row-major (the last dimension varies fastest), as NumPy, PyTorch, safetensors and ONNX store
 * them. A row holding NaN or ±Inf has a NaN or Inf norm.
 */

import type { FloatWindow } from "./decode.js";

export const DEFAULT_MAX_ROWS = 65536;

export class RowNorms {
  /** Rows the tensor has (its first dimension). */
  readonly rows: number;
  /** Elements per row (the product of the other dimensions). */
  readonly rowLength: number;
  private readonly squares: Float64Array;
  private row = 0;
  private position = 0;

  /** Null when the shape has no rows: rank below 2, or an empty dimension. */
  static for(shape: readonly number[], maxRows = DEFAULT_MAX_ROWS): RowNorms | null {
    if (shape.length < 2) return null;
    const rows = shape[0]!;
    const rowLength = shape.slice(1).reduce((product, dimension) => product * dimension, 1);
    if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(rowLength) || rows <= 0 || rowLength <= 0) return null;
    return new RowNorms(rows, rowLength, maxRows);
  }

  private constructor(rows: number, rowLength: number, maxRows: number) {
    this.rows = rows;
    this.rowLength = rowLength;
    this.squares = new Float64Array(Math.min(rows, Math.max(0, maxRows)));
  }

  /** True when the tensor has more rows than are kept: norms cover the first `kept` rows only. */
  get truncated(): boolean {
    return this.rows > this.squares.length;
  }

  get kept(): number {
    return this.squares.length;
  }

  /** The next values of the tensor, in order. */
  add(values: FloatWindow): void {
    const squares = this.squares;
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    let index = 0;
    while (index < values.length && row < squares.length) {
      const end = Math.min(values.length, index + rowLength - position);
      // Two independent sums: the loop is bound by the addition's latency, not by loads.
      let sumA = 0;
      let sumB = 0;
      let at = index;
      for (; at + 1 < end; at += 2) {
        const first = values[at]!;
        const second = values[at + 1]!;
        sumA += first * first;
        sumB += second * second;
      }
      if (at < end) sumA += values[at]! * values[at]!;
      squares[row]! += sumA + sumB;
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

  /** The norms of the kept rows (rows not reached because the data ended stay 0). */
  norms(): Float64Array {
    return this.squares.map(Math.sqrt);
  }
}

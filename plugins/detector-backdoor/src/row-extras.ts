/**
 * What the backdoor checks need of one tensor beyond the shared statistics (whose row summary keeps
 * each row's norm, largest |value|, sign and zero counts and samples): a 1-D tensor's values (biases,
 * up to MAX_VECTOR), the largest values with their signs per row of a trigger candidate, and at
 * thorough the input columns' norms. Tensors that need none of these get no consumer of their own.
 */

import { dtypeInfo, type TensorConsumer, type TensorDType } from "@modelaudit/core";
import {
  ColumnSquares,
  DEFAULT_MAX_ROWS,
  type FloatDecoder,
  floatDecoder,
  MAX_SQUARED_COLUMNS,
  TopMagnitudes,
} from "@modelaudit/tensors";
/** 1-D tensors kept whole up to this many values. */
export const MAX_VECTOR = 65536;
/** Input columns (channels) whose norms are kept, for the cross-layer check. */
export const MAX_COLUMNS = MAX_SQUARED_COLUMNS;

export class RowExtras implements TensorConsumer {
  readonly rows: number;
  readonly rowLength: number;
  readonly kept: number;
  /** Per row, the TOP_MAGNITUDES largest |values| with their signs, largest first (trigger candidates only). */
  readonly top: TopMagnitudes | null;
  /** A 1-D tensor's values (null otherwise or when larger than MAX_VECTOR). */
  readonly vector: Float64Array | null;
  /**
   * Squared L2 norms of the input columns (the second dimension: input features of a linear weight,
   * input channels of a convolution), over the kept rows; null unless asked for.
   */
  readonly columns: Float64Array | null;
  /** Elements per column per row (kh · kw for a convolution, 1 for a linear weight). */
  private readonly columnRun: number;
  /** A linear weight's column sums (each value its own column's), by the SIMD kernel where it runs. */
  private readonly squares: ColumnSquares | null;
  private readonly decoder: FloatDecoder | null;
  /** Bytes and elements of the dtype's unit (one value, or one GGML block). */
  private readonly blockBytes: number;
  private readonly blockElements: number;
  private row = 0;
  private position = 0;
  private vectorAt = 0;

  constructor(
    dtype: TensorDType,
    shape: readonly number[],
    keepTop: boolean,
    keepColumns: boolean,
    maxRows = DEFAULT_MAX_ROWS,
  ) {
    this.decoder = floatDecoder(dtype);
    const rows = shape.length >= 2 ? shape[0]! : 0;
    const rowLength = shape.length >= 2 ? shape.slice(1).reduce((product, dimension) => product * dimension, 1) : 0;
    const valid = this.decoder !== null && Number.isSafeInteger(rows) && Number.isSafeInteger(rowLength);
    this.rows = valid && rows > 0 && rowLength > 0 ? rows : 0;
    this.rowLength = this.rows > 0 ? rowLength : 0;
    this.kept = Math.min(this.rows, Math.max(0, maxRows));
    this.top = keepTop && this.kept > 0 ? new TopMagnitudes(this.kept) : null;
    const elements = shape.length === 1 ? shape[0]! : 0;
    this.vector =
      this.decoder && shape.length === 1 && Number.isSafeInteger(elements) && elements > 0 && elements <= MAX_VECTOR
        ? new Float64Array(elements)
        : null;
    const inputs = shape.length >= 2 ? shape[1]! : 0;
    const keepsColumns = keepColumns && this.kept > 0 && inputs > 0 && inputs <= MAX_COLUMNS;
    this.columnRun = keepsColumns ? this.rowLength / inputs : 0;
    this.squares = keepsColumns && this.columnRun === 1 ? new ColumnSquares(inputs, { dtype }) : null;
    const info = dtypeInfo(dtype);
    this.blockBytes = info.blockBytes;
    this.blockElements = info.blockElements;
    this.columns = this.squares?.sums ?? (keepsColumns ? new Float64Array(inputs) : null);
  }

  /** Whether this tensor needs a pass of its own at all. */
  get needed(): boolean {
    return this.vector !== null || this.top !== null || this.columns !== null;
  }

  data(chunk: Uint8Array, _offset: number): void {
    if (this.decoder === null) return;
    // Only a linear weight's column sums: from the raw bytes (q8_0 blocks are never decoded).
    if (this.squares !== null && this.top === null && this.vector === null) {
      const elements = Math.floor(chunk.length / this.blockBytes) * this.blockElements;
      if (this.row < this.kept) {
        this.squares.addBytes(chunk, this.position, (this.kept - this.row) * this.rowLength - this.position);
      }
      const position = this.position + elements;
      this.row += Math.floor(position / this.rowLength);
      this.position = position % this.rowLength;
      return;
    }
    const values = this.decoder.decode(chunk);
    if (this.vector !== null) {
      const room = Math.min(values.length, this.vector.length - this.vectorAt);
      this.vector.set(values.subarray(0, room), this.vectorAt);
      this.vectorAt += room;
      return;
    }
    if (this.kept > 0) this.addRows(values);
  }

  end(_complete: boolean): void {}

  private addRows(values: Float32Array | Float64Array): void {
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    // A linear weight's kept rows of this chunk in one call: a column is a position in the row.
    if (this.squares !== null && row < this.kept) {
      this.squares.add(values, 0, Math.min(values.length, (this.kept - row) * rowLength - position), position);
    }
    const columnsByRow = this.columns !== null && this.squares === null;
    let index = 0;
    while (index < values.length && row < this.kept) {
      const end = Math.min(values.length, index + rowLength - position);
      this.top?.add(row, values, index, end);
      if (columnsByRow) this.addColumns(values, index, end, position);
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

  /**
   * Adds values[start..end), which begin at `position` in their row, to their columns' squared norms,
   * `columnRun` values a column (a convolution's kernel window; linear weights go to `squares`).
   */
  private addColumns(values: ArrayLike<number>, start: number, end: number, position: number): void {
    const columns = this.columns!;
    const run = this.columnRun;
    let column = Math.floor(position / run);
    let left = run - (position % run);
    let sum = 0;
    for (let at = start; at < end; at++) {
      const value = values[at]!;
      sum += value * value;
      if (--left === 0) {
        columns[column]! += sum;
        sum = 0;
        column++;
        left = run;
      }
    }
    if (left !== run) columns[column]! += sum;
  }
}

/**
 * What the backdoor checks need of one tensor beyond the shared statistics (which keep the row
 * norms): per row the largest |value| (`RowMaxima`), the sum, the counts of positive and zero values,
 * a few sampled coordinates (near-duplicate rows), and for trigger candidates the largest values
 * with their signs. 1-D tensors (biases) up to MAX_VECTOR values are kept whole.
 */

import type { TensorConsumer, TensorDType } from "@modelaudit/core";
import { DEFAULT_MAX_ROWS, type FloatDecoder, floatDecoder, RowMaxima } from "@modelaudit/tensors";

/** Coordinates sampled per row for the near-duplicate signature. */
export const SAMPLES = 8;
/** Largest values kept per row of a trigger candidate. */
export const TOP_VALUES = 16;
/** 1-D tensors kept whole up to this many values. */
export const MAX_VECTOR = 65536;
/** Input columns (channels) whose norms are kept, for the cross-layer check. */
export const MAX_COLUMNS = 65536;

export class RowProfile implements TensorConsumer {
  readonly rows: number;
  readonly rowLength: number;
  readonly kept: number;
  readonly maxima: RowMaxima | null;
  readonly sums: Float64Array;
  readonly positives: Float64Array;
  readonly zeros: Float64Array;
  /** Row r's sampled coordinates at r · SAMPLES ..; positions evenly spread over the row. */
  readonly samples: Float64Array;
  /** Per row, the TOP_VALUES largest |values| with their signs, largest first (trigger candidates only). */
  readonly top: Float64Array[] | null;
  /** A 1-D tensor's values (null otherwise or when larger than MAX_VECTOR). */
  readonly vector: Float64Array | null;
  /**
   * Squared L2 norms of the input columns (the second dimension: input features of a linear weight,
   * input channels of a convolution), over the kept rows; null unless asked for.
   */
  readonly columns: Float64Array | null;
  /** Elements per column per row (kh · kw for a convolution, 1 for a linear weight). */
  private readonly columnRun: number;
  private readonly samplePositions: number[];
  private readonly decoder: FloatDecoder | null;
  private row = 0;
  private position = 0;
  private vectorAt = 0;

  constructor(
    dtype: TensorDType,
    shape: readonly number[],
    keepTop: boolean,
    keepColumns = false,
    maxRows = DEFAULT_MAX_ROWS,
  ) {
    this.decoder = floatDecoder(dtype);
    this.maxima = this.decoder ? RowMaxima.for(shape, maxRows) : null;
    this.rows = this.maxima?.rows ?? 0;
    this.rowLength = this.maxima?.rowLength ?? 0;
    this.kept = this.maxima?.kept ?? 0;
    this.sums = new Float64Array(this.kept);
    this.positives = new Float64Array(this.kept);
    this.zeros = new Float64Array(this.kept);
    this.samples = new Float64Array(this.kept * SAMPLES);
    this.samplePositions = Array.from({ length: SAMPLES }, (_, index) =>
      Math.floor(((index + 0.5) * this.rowLength) / SAMPLES),
    );
    this.top = keepTop && this.kept > 0 ? Array.from({ length: this.kept }, () => new Float64Array(0)) : null;
    const elements = shape.length === 1 ? shape[0]! : 0;
    this.vector =
      this.decoder && shape.length === 1 && Number.isSafeInteger(elements) && elements > 0 && elements <= MAX_VECTOR
        ? new Float64Array(elements)
        : null;
    const inputs = shape.length >= 2 ? shape[1]! : 0;
    this.columns =
      keepColumns && this.kept > 0 && inputs > 0 && inputs <= MAX_COLUMNS ? new Float64Array(inputs) : null;
    this.columnRun = this.columns ? this.rowLength / inputs : 0;
  }

  data(chunk: Uint8Array, _offset: number): void {
    if (this.decoder === null) return;
    const values = this.decoder.decode(chunk);
    if (this.vector !== null) {
      const room = Math.min(values.length, this.vector.length - this.vectorAt);
      this.vector.set(values.subarray(0, room), this.vectorAt);
      this.vectorAt += room;
      return;
    }
    if (this.maxima === null) return;
    this.maxima.add(values);
    this.addRows(values);
  }

  end(_complete: boolean): void {}

  private addRows(values: ArrayLike<number> & { length: number }): void {
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    let index = 0;
    while (index < values.length && row < this.kept) {
      const end = Math.min(values.length, index + rowLength - position);
      let sum = 0;
      let positives = 0;
      let zeros = 0;
      for (let at = index; at < end; at++) {
        const value = values[at]!;
        sum += value;
        if (value > 0) positives++;
        else if (value === 0) zeros++;
      }
      this.sums[row]! += sum;
      this.positives[row]! += positives;
      this.zeros[row]! += zeros;
      const first = position;
      const last = position + (end - index);
      for (let sample = 0; sample < SAMPLES; sample++) {
        const at = this.samplePositions[sample]!;
        if (at >= first && at < last) this.samples[row * SAMPLES + sample] = values[index + at - first]!;
      }
      if (this.top !== null) this.top[row] = keepLargest(this.top[row]!, values, index, end);
      if (this.columns !== null) this.addColumns(values, index, end, first);
      position = last;
      index = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
  }

  /** Adds values[start..end), which begin at `position` in their row, to their columns' squared norms. */
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

/** The TOP_VALUES largest |values| of `kept` and values[start..end), signed, largest magnitude first. */
function keepLargest(kept: Float64Array, values: ArrayLike<number>, start: number, end: number): Float64Array {
  const pool = Array.from(kept);
  const floor = kept.length === TOP_VALUES ? Math.abs(kept[TOP_VALUES - 1]!) : -1;
  for (let at = start; at < end; at++) {
    const value = values[at]!;
    if (Math.abs(value) > floor && Number.isFinite(value)) pool.push(value);
  }
  if (pool.length === kept.length) return kept;
  pool.sort((a, b) => Math.abs(b) - Math.abs(a));
  return Float64Array.from(pool.slice(0, TOP_VALUES));
}

/**
 * Rows (output neurons, filters) whose weights are all zero, from the shared statistics' row norms.
 * One zero row is common (an embedding's padding index); many, and especially many at a regular
 * stride, are a pruning mask: structured pruning done in the open is a note, and one applied to a
 * model that does not say so silences those neurons for every input.
 */

export interface PrunedRows {
  rows: number;
  zero: number;
  first: number;
  /** The spacing of the zero rows when it is constant (every `stride`-th row), else null. */
  stride: number | null;
}

/** Fewest zero rows noted, and the fewest as a fraction of the rows. */
export const MIN_ZERO_ROWS = 2;
export const MIN_ZERO_FRACTION = 0.05;

export function prunedRows(norms: Float64Array): PrunedRows | null {
  const rows = norms.length;
  const zeroRows: number[] = [];
  for (let row = 0; row < rows; row++) if (norms[row] === 0) zeroRows.push(row);
  const zero = zeroRows.length;
  // Every row zero is an empty layer, not a mask; too few is a padding row or chance.
  if (zero < MIN_ZERO_ROWS || zero === rows || zero < MIN_ZERO_FRACTION * rows) return null;
  const stride = zeroRows[1]! - zeroRows[0]!;
  const regular = zeroRows.every((row, index) => index === 0 || row - zeroRows[index - 1]! === stride);
  return { rows, zero, first: zeroRows[0]!, stride: regular && zero >= 3 ? stride : null };
}

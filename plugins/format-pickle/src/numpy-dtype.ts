/** NumPy type strings (`<f8`, `|O`, `<U10`, `M8[ns]`) to item sizes, without NumPy. */

export interface ScalarType {
  /** Bytes per element. */
  itemSize: number;
  /** Python objects: the data is a pickle, not raw bytes. */
  object: boolean;
}

const TYPE_STRING = /^([<>|=])?([a-zA-Z?])(\d*)(\[[A-Za-z0-9]+\])?$/;
const FIXED_KINDS = new Set(["b", "i", "u", "f", "c", "M", "m"]);

/** Parses a NumPy type string; null when it is not one this parser knows. */
export function parseTypeString(text: string): ScalarType | null {
  const match = TYPE_STRING.exec(text);
  if (!match) return null;
  const kind = match[2] as string;
  const digits = match[3] ? Number.parseInt(match[3], 10) : undefined;
  if (digits !== undefined && (!Number.isSafeInteger(digits) || digits > 2 ** 31)) return null;
  if (kind === "O") return { itemSize: digits ?? 8, object: true };
  if (kind === "?") return { itemSize: 1, object: false };
  if (kind === "U" || kind === "w") return digits !== undefined ? { itemSize: digits * 4, object: false } : null;
  if (kind === "S" || kind === "a" || kind === "V")
    return digits !== undefined ? { itemSize: digits, object: false } : null;
  if (FIXED_KINDS.has(kind)) return digits !== undefined && digits > 0 ? { itemSize: digits, object: false } : null;
  return null;
}

/** Product of a shape; null when a dimension is not a non-negative safe integer or the product overflows. */
export function elementCount(shape: readonly number[]): number | null {
  let count = 1;
  for (const dimension of shape) {
    if (!Number.isSafeInteger(dimension) || dimension < 0) return null;
    count *= dimension;
    if (!Number.isSafeInteger(count)) return null;
  }
  return count;
}

import { elementCount, parseTypeString } from "./numpy-dtype.js";
import { dictGet, type Value } from "./values.js";

/**
 * joblib's NumpyPickler writes each array's bytes straight into the pickle stream, right after the
 * BUILD of a `joblib.numpy_pickle.NumpyArrayWrapper` (see joblib `numpy_pickle.py`, write_array /
 * read_array). The wrapper's state says how many bytes follow:
 *  - object dtype: a complete nested pickle (protocol 2) of the array;
 *  - otherwise, when `numpy_array_alignment_bytes` is set (joblib >= 1.2), one byte with the padding
 *    length, that many padding bytes, then prod(shape) × itemsize raw bytes.
 */
export type JoblibArrayLayout =
  | {
      kind: "numeric";
      dtype: string;
      shape: number[];
      itemSize: number;
      byteLength: number;
      /** Null for joblib <= 1.1 wrappers (no padding byte). */
      alignment: number | null;
    }
  | { kind: "object"; dtype: string; shape: number[] }
  | { kind: "unknown"; reason: string };

export const WRAPPER_CLASSES = new Set([
  "joblib.numpy_pickle NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle NumpyArrayWrapper",
]);

export function joblibArrayLayout(state: Value | undefined): JoblibArrayLayout {
  if (state?.type !== "dict") return { kind: "unknown", reason: "the wrapper state is not a dict" };
  const shapeValue = dictGet(state, "shape");
  if (shapeValue?.type !== "tuple" || shapeValue.count !== shapeValue.items.length) {
    return { kind: "unknown", reason: "the wrapper has no shape tuple" };
  }
  const shape: number[] = [];
  for (const dimension of shapeValue.items) {
    if (dimension.type !== "int") return { kind: "unknown", reason: "a shape dimension is not an integer" };
    shape.push(dimension.value);
  }
  const count = elementCount(shape);
  if (count === null) return { kind: "unknown", reason: `shape (${shape.join(", ")}) is not a valid array shape` };

  const dtype = dictGet(state, "dtype");
  if (dtype?.type !== "object") return { kind: "unknown", reason: "the wrapper dtype is not a numpy.dtype object" };
  const args = dtype.args;
  const typeArg = args?.type === "tuple" ? args.items[0] : undefined;
  if (typeArg?.type !== "str") return { kind: "unknown", reason: "the dtype has no type string" };
  const scalar = parseTypeString(typeArg.text);
  // numpy.dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags, ...)
  const dtypeState = dtype.state?.type === "tuple" ? dtype.state.items : [];
  const byteOrder = dtypeState[1]?.type === "str" ? dtypeState[1].text : "";
  const elementSize = dtypeState[5]?.type === "int" ? dtypeState[5].value : -1;
  const flags = dtypeState[7]?.type === "int" ? dtypeState[7].value : 0;
  const label = `${byteOrder === "|" ? "" : byteOrder}${typeArg.text}`;
  // NPY_ITEM_REFCOUNT (flag bit 0) marks dtypes holding Python objects, structured ones included.
  if (scalar?.object || (flags & 1) === 1) return { kind: "object", dtype: label, shape };
  const itemSize = elementSize > 0 ? elementSize : scalar?.itemSize;
  if (itemSize === undefined || !Number.isSafeInteger(itemSize) || itemSize <= 0) {
    return { kind: "unknown", reason: `cannot tell the item size of dtype ${typeArg.text}` };
  }
  const byteLength = count * itemSize;
  if (!Number.isSafeInteger(byteLength)) return { kind: "unknown", reason: "the array byte length overflows" };

  let alignment: number | null = null;
  const alignmentValue = dictGet(state, "numpy_array_alignment_bytes");
  if (alignmentValue?.type === "int") alignment = alignmentValue.value;
  else if (alignmentValue !== undefined && alignmentValue.type !== "none") {
    return { kind: "unknown", reason: "numpy_array_alignment_bytes is neither an int nor None" };
  }
  return { kind: "numeric", dtype: label, shape, itemSize, byteLength, alignment };
}

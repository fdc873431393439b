/** NumPy type strings (`<f8`, `|O`, `<U10`, `M8[ns]`) to item sizes, without NumPy. */

export interface ScalarType {
  /** Bytes per element (0 for a flexible type given without a size, e.g. `S` or `void`). */
  itemSize: number;
  /** Python objects: the data is a pickle, not raw bytes. */
  object: boolean;
  /** NumPy's kind letter: b i u f c M m O S U V. */
  kind: string;
}

/**
 * Every name and type code `numpy.dtype()` accepts on its own, with NumPy 1.24's item size on
 * x86_64 Linux (`long` and `longdouble` are platform-sized) and kind.
 */
const NAMED_TYPES = new Map<string, [itemSize: number, kind: string]>([
  ["?", [1, "b"]],
  ["B", [1, "u"]],
  ["D", [16, "c"]],
  ["F", [8, "c"]],
  ["G", [32, "c"]],
  ["H", [2, "u"]],
  ["I", [4, "u"]],
  ["L", [8, "u"]],
  ["M", [8, "M"]],
  ["M8", [8, "M"]],
  ["O", [8, "O"]],
  ["P", [8, "u"]],
  ["Q", [8, "u"]],
  ["S", [0, "S"]],
  ["U", [0, "U"]],
  ["V", [0, "V"]],
  ["a", [0, "S"]],
  ["b", [1, "i"]],
  ["b1", [1, "b"]],
  ["bool", [1, "b"]],
  ["bool8", [1, "b"]],
  ["bool_", [1, "b"]],
  ["byte", [1, "i"]],
  ["bytes", [0, "S"]],
  ["bytes0", [0, "S"]],
  ["bytes_", [0, "S"]],
  ["c", [1, "S"]],
  ["c16", [16, "c"]],
  ["c32", [32, "c"]],
  ["c8", [8, "c"]],
  ["cdouble", [16, "c"]],
  ["cfloat", [16, "c"]],
  ["clongdouble", [32, "c"]],
  ["clongfloat", [32, "c"]],
  ["complex", [16, "c"]],
  ["complex128", [16, "c"]],
  ["complex256", [32, "c"]],
  ["complex64", [8, "c"]],
  ["complex_", [16, "c"]],
  ["csingle", [8, "c"]],
  ["d", [8, "f"]],
  ["datetime64", [8, "M"]],
  ["double", [8, "f"]],
  ["e", [2, "f"]],
  ["f", [4, "f"]],
  ["f16", [16, "f"]],
  ["f2", [2, "f"]],
  ["f4", [4, "f"]],
  ["f8", [8, "f"]],
  ["float", [8, "f"]],
  ["float128", [16, "f"]],
  ["float16", [2, "f"]],
  ["float32", [4, "f"]],
  ["float64", [8, "f"]],
  ["float_", [8, "f"]],
  ["g", [16, "f"]],
  ["h", [2, "i"]],
  ["half", [2, "f"]],
  ["i", [4, "i"]],
  ["i1", [1, "i"]],
  ["i2", [2, "i"]],
  ["i4", [4, "i"]],
  ["i8", [8, "i"]],
  ["int", [8, "i"]],
  ["int0", [8, "i"]],
  ["int16", [2, "i"]],
  ["int32", [4, "i"]],
  ["int64", [8, "i"]],
  ["int8", [1, "i"]],
  ["int_", [8, "i"]],
  ["intc", [4, "i"]],
  ["intp", [8, "i"]],
  ["l", [8, "i"]],
  ["long", [8, "i"]],
  ["longcomplex", [32, "c"]],
  ["longdouble", [16, "f"]],
  ["longfloat", [16, "f"]],
  ["longlong", [8, "i"]],
  ["m", [8, "m"]],
  ["m8", [8, "m"]],
  ["object", [8, "O"]],
  ["object0", [8, "O"]],
  ["object_", [8, "O"]],
  ["p", [8, "i"]],
  ["q", [8, "i"]],
  ["short", [2, "i"]],
  ["single", [4, "f"]],
  ["singlecomplex", [8, "c"]],
  ["str", [0, "U"]],
  ["str0", [0, "U"]],
  ["str_", [0, "U"]],
  ["string_", [0, "S"]],
  ["timedelta64", [8, "m"]],
  ["u1", [1, "u"]],
  ["u2", [2, "u"]],
  ["u4", [4, "u"]],
  ["u8", [8, "u"]],
  ["ubyte", [1, "u"]],
  ["uint", [8, "u"]],
  ["uint0", [8, "u"]],
  ["uint16", [2, "u"]],
  ["uint32", [4, "u"]],
  ["uint64", [8, "u"]],
  ["uint8", [1, "u"]],
  ["uintc", [4, "u"]],
  ["uintp", [8, "u"]],
  ["ulong", [8, "u"]],
  ["ulonglong", [8, "u"]],
  ["unicode", [0, "U"]],
  ["unicode_", [0, "U"]],
  ["ushort", [2, "u"]],
  ["void", [0, "V"]],
  ["void0", [0, "V"]],
]);

const TYPE_STRING = /^([<>|=])?([a-zA-Z?])(\d*)(\[[A-Za-z0-9]+\])?$/;
const SIZED_KINDS = new Set(["b", "i", "u", "f", "c"]);

/** Parses a NumPy type string (`<f8`, `|O`, `<U10`, `M8[ns]`, `float64`, `B`); null when NumPy would not take it. */
export function parseTypeString(text: string): ScalarType | null {
  const order = /^[<>|=]/.test(text) ? 1 : 0;
  const named = NAMED_TYPES.get(text.slice(order));
  // Only type codes take a byte-order prefix (`<d`, not `<float64`).
  if (named && (order === 0 || text.length === 2)) {
    return { itemSize: named[0], object: named[1] === "O", kind: named[1] };
  }
  const match = TYPE_STRING.exec(text);
  if (!match) return null;
  const letter = match[2] as string;
  const digits = match[3] ? Number.parseInt(match[3], 10) : undefined;
  if (digits === undefined || !Number.isSafeInteger(digits) || digits > 2 ** 31) return null;
  if (letter === "O") return { itemSize: 8, object: true, kind: "O" };
  if (letter === "U") return { itemSize: digits * 4, object: false, kind: "U" };
  if (letter === "S" || letter === "a") return { itemSize: digits, object: false, kind: "S" };
  if (letter === "V") return { itemSize: digits, object: false, kind: "V" };
  if (letter === "M" || letter === "m") return digits === 8 ? { itemSize: 8, object: false, kind: letter } : null;
  if (SIZED_KINDS.has(letter) && digits > 0) {
    return { itemSize: digits, object: false, kind: letter === "b" ? "b" : letter };
  }
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

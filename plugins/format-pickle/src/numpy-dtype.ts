/** NumPy type strings (`<f8`, `|O`, `<U10`, `M8[ns]`) and .npy descrs to item sizes, without NumPy. */

import { isTuple, type Literal, parsePythonLiteral } from "./python-literal.js";

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

/** A descr NumPy would refuse (the file does not load) or one this reader does not follow (fail closed). */
export class DescrError extends Error {
  constructor(
    message: string,
    /** True when NumPy itself raises on this descr; false when the form is valid but not modelled here. */
    readonly refusedByNumpy: boolean,
  ) {
    super(message);
  }
}

/** The dtype a descr makes: item size, whether it holds Python objects (`dtype.hasobject`), kind. */
export interface DescrType extends ScalarType {
  /** Has named fields (`dtype.names is not None`). */
  structured: boolean;
}

const MAX_DESCR_NESTING = 32;
/** NumPy keeps subarray dimensions in a C int. */
const MAX_DIMENSION = 2 ** 31 - 1;

/**
 * What `numpy.lib.format.descr_to_dtype(descr)` (NumPy 1.24 to 2.x) makes of a .npy header's descr
 * as `ast.literal_eval` read it: a type string (also NumPy's comma strings `'i4,(2,)O'`), a subarray
 * tuple `(base, shape)` (extra items ignored, as NumPy ignores them), or an iterable of fields
 * `(name | (title, name), descr[, shape])`, nested to any depth. Fields named `''` whose type is an
 * unstructured void (plain `V`, or any subarray) are padding: NumPy drops them, objects and all,
 * keeping only their bytes. Throws {@link DescrError} for what NumPy refuses and for what this
 * reader does not follow; never guesses "no objects".
 */
export function descrToDtype(descr: Literal | undefined, depth = 0): DescrType {
  if (depth > MAX_DESCR_NESTING) throw new DescrError("descr nested too deeply", false);
  if (typeof descr === "string") return dtypeFromString(descr, depth);
  if (isTuple(descr)) {
    // `dt = descr_to_dtype(descr[0]); numpy.dtype((dt, descr[1]))`
    if (descr.length < 2) throw new DescrError("a descr tuple needs (base, shape)", true);
    return withSecond(descrToDtype(descr[0], depth + 1), descr[1] as Literal, depth);
  }
  const fields = pythonIteration(descr);
  if (fields === null) throw new DescrError(`descr ${describe(descr)} is not a dtype descriptor`, true);
  let itemSize = 0;
  let object = false;
  const seen = new Set<string>();
  for (const field of fields) {
    const parts = pythonIteration(field);
    if (parts === null || (parts.length !== 2 && parts.length !== 3)) {
      throw new DescrError(`field ${describe(field)} is not (name, descr[, shape])`, true);
    }
    const [name, fieldDescr, shape] = parts as [Literal, Literal, Literal | undefined];
    let type = descrToDtype(fieldDescr, depth + 1);
    if (parts.length === 3) type = withSecond(type, shape as Literal, depth);
    itemSize += type.itemSize;
    if (!Number.isSafeInteger(itemSize)) throw new DescrError("descr item size overflows", false);
    // `is_pad = name == '' and dt.type is numpy.void and dt.names is None`: dropped, bytes kept.
    if (name === "" && type.kind === "V" && !type.structured) continue;
    let title: Literal = null;
    let fieldName: Literal = name;
    if (isTuple(name)) {
      if (name.length !== 2) throw new DescrError(`field name ${describe(name)} is not (title, name)`, true);
      [title, fieldName] = name as [Literal, Literal];
    }
    if (typeof fieldName !== "string") throw new DescrError("field names must be strings", true);
    for (const key of typeof title === "string" ? [fieldName, title] : [fieldName]) {
      if (seen.has(key)) throw new DescrError(`field name ${JSON.stringify(key)} is used twice`, true);
      seen.add(key);
    }
    object ||= type.object;
  }
  return { itemSize, object, kind: "V", structured: true };
}

/** `numpy.dtype((base, second))`: a subarray when second is a shape, a sized flexible type, or a view. */
function withSecond(base: DescrType, second: Literal, depth: number): DescrType {
  const flexible =
    base.itemSize === 0 && !base.structured && (base.kind === "S" || base.kind === "U" || base.kind === "V");
  if (typeof second === "number") {
    if (flexible) {
      // ('U', 2) is '<U2'.
      if (second < 0 || second > MAX_DIMENSION) throw new DescrError("invalid itemsize in a type tuple", true);
      return { ...base, itemSize: second * (base.kind === "U" ? 4 : 1) };
    }
    // NumPy 1.x reads (type, 1) as the type itself; 2.x as a one-element subarray. The 1.x reading
    // keeps a '' field that holds objects (2.x would drop it as padding): the one that may unpickle.
    if (second === 1) return base;
    return subarray(base, [second]);
  }
  if (Array.isArray(second) && second.length > 0 && second.every((item) => typeof item === "number")) {
    if (flexible) throw new DescrError("invalid itemsize in a generic type tuple", true);
    return subarray(base, second as number[]);
  }
  if (isTuple(second) && second.length === 0) return base;
  if (typeof second === "boolean" || (Array.isArray(second) && second.some((item) => typeof item === "boolean"))) {
    throw new DescrError("invalid shape in a type tuple", true);
  }
  // (old_dtype, new_dtype): a view of base's bytes. NumPy refuses it when either side holds objects,
  // so it never holds objects; the bytes are base's (NumPy refuses a size mismatch).
  if (base.object || viewHoldsObjects(second, depth + 1))
    throw new DescrError("a (base, new_dtype) descr with objects", true);
  return { itemSize: base.itemSize, object: false, kind: "V", structured: true };
}

/** Whether the new dtype of a (base, new_dtype) view holds objects, as far as this reader can tell. */
function viewHoldsObjects(second: Literal, depth: number): boolean {
  try {
    return descrToDtype(second, depth).object;
  } catch {
    return false;
  }
}

function subarray(base: DescrType, shape: readonly number[]): DescrType {
  if (shape.some((dimension) => !Number.isSafeInteger(dimension) || dimension < 0 || dimension > MAX_DIMENSION)) {
    throw new DescrError(`invalid subarray shape (${shape.join(", ")})`, true);
  }
  const count = elementCount(shape);
  const itemSize = count === null ? Number.NaN : count * base.itemSize;
  if (!Number.isSafeInteger(itemSize)) throw new DescrError("descr item size overflows", false);
  // A subarray of objects holds objects even when it has no elements.
  return { itemSize, object: base.object, kind: "V", structured: false };
}

/** What a Python `for` over the value yields: a sequence's items, a str's characters, a dict's keys. */
function pythonIteration(value: Literal | undefined): Literal[] | null {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (typeof value === "object" && value !== null) return Object.keys(value);
  return null;
}

/** Comma strings are what NumPy's `_check_for_commastring` sends to `_commastring`. */
function isCommaString(text: string): boolean {
  if (/^[<>|=]?[0-9]/.test(text) || /^[<>|=]?\(\)/.test(text)) return true;
  let brackets = 0;
  for (const character of text) {
    if (character === "," && brackets === 0) return true;
    if (character === "[") brackets++;
    else if (character === "]") brackets--;
  }
  return false;
}

const COMMA_FORMAT = /([<>|=]?)( *[(]?[ ,0-9]*[)]? *)([<>|=]?)([A-Za-z0-9.?]*(?:\[[a-zA-Z0-9,.]+\])?)/y;
const COMMA_SEPARATOR = /\s*,\s*/y;
const COMMA_END = /\s+$/y;

function dtypeFromString(text: string, depth: number): DescrType {
  if (!isCommaString(text)) {
    const scalar = parseTypeString(text);
    if (!scalar) throw new DescrError(`type string ${JSON.stringify(text)}`, false);
    return { ...scalar, structured: false };
  }
  // numpy.core._internal._commastring: [order][repeats][order]type, separated by commas.
  const items: DescrType[] = [];
  let position = 0;
  while (position < text.length) {
    COMMA_FORMAT.lastIndex = position;
    const match = COMMA_FORMAT.exec(text) as RegExpExecArray;
    const [, order1, repeats, order2, name] = match as unknown as [string, string, string, string, string];
    position = COMMA_FORMAT.lastIndex;
    if (position < text.length) {
      COMMA_END.lastIndex = position;
      COMMA_SEPARATOR.lastIndex = position;
      if (COMMA_END.test(text)) position = text.length;
      else if (COMMA_SEPARATOR.test(text)) position = COMMA_SEPARATOR.lastIndex;
      else throw new DescrError(`format ${items.length + 1} of ${JSON.stringify(text)} is not recognized`, true);
    }
    const native = (order: string) => (order === "=" ? "<" : order);
    if (order1 && order2 && native(order1) !== native(order2)) {
      throw new DescrError(`inconsistent byte orders in ${JSON.stringify(text)}`, true);
    }
    const order = order2 || order1;
    const scalar = parseTypeString(`${order === ">" ? ">" : ""}${name}`);
    if (!scalar) throw new DescrError(`type string ${JSON.stringify(name)} in ${JSON.stringify(text)}`, false);
    let item: DescrType = { ...scalar, structured: false };
    if (repeats !== "") {
      // `ast.literal_eval(repeats)`: "2", "2," and "(2, 3)" (a bare "2, 3" is a tuple too).
      let shape: Literal;
      try {
        if (repeats.trim() === "") throw new Error("empty");
        shape = parsePythonLiteral(`(${repeats.trim()})`);
      } catch {
        throw new DescrError(`repeat count ${JSON.stringify(repeats)} in ${JSON.stringify(text)}`, true);
      }
      item = withSecond(item, shape, depth);
    }
    items.push(item);
    if (items.length > 4096 || depth > MAX_DESCR_NESTING) throw new DescrError("comma string too long", false);
  }
  if (items.length === 0) throw new DescrError(`empty type string ${JSON.stringify(text)}`, true);
  if (items.length === 1) return items[0] as DescrType;
  let itemSize = 0;
  for (const item of items) itemSize += item.itemSize;
  return { itemSize, object: items.some((item) => item.object), kind: "V", structured: true };
}

function describe(value: Literal | undefined): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

import { elementCount, parseTypeString, type ScalarType } from "./numpy-dtype.js";
import { type BytesValue, dictGet, type GlobalValue, type ObjectValue, type Value } from "./values.js";

/**
 * joblib's NumpyPickler writes each array's bytes straight into the pickle stream, right after the
 * BUILD of a `joblib.numpy_pickle.NumpyArrayWrapper` (joblib `numpy_pickle.py`: write_array,
 * read_array, NumpyUnpickler.load_build). The wrapper's attributes say how many bytes follow, and
 * they are read here exactly as joblib and NumPy read them, because an attacker who makes us skip
 * more or fewer bytes than joblib hides opcodes in the difference:
 *  - attributes come from `__init__` arguments when the class was called (REDUCE/INST/OBJ), then
 *    the BUILD state updates them (a dict, or `(dict, slotstate)`; for duplicate keys the last wins);
 *  - `dtype.hasobject`: a complete nested pickle (plain `pickle.load`) follows;
 *  - otherwise, when `numpy_array_alignment_bytes` is not None, one byte with the padding length and
 *    that many padding bytes, then prod(shape) × `dtype.itemsize` raw bytes.
 * NumPy's dtype `__setstate__` decides itemsize and hasobject: fixed-size types (`f8`, `i4`, `b1`...)
 * keep the size of their type string and ignore the state's elsize and flags; flexible types (`V`,
 * `S`, `a`, `U`) take both from the state; `O` is always objects.
 */
export type JoblibArrayLayout =
  | {
      kind: "numeric";
      dtype: string;
      shape: number[];
      itemSize: number;
      byteLength: number;
      /** Null when the wrapper has no alignment attribute (joblib <= 1.1: no padding byte). */
      alignment: number | null;
      /** `order == "F"`: the bytes are the array transposed, a C-order array of the reversed shape. */
      fortran: boolean;
    }
  | { kind: "object"; dtype: string; shape: number[] }
  | { kind: "unknown"; reason: string };

/** The wrapper classes joblib's load_build reads array data for, as full dotted paths. */
const WRAPPER_PATHS = new Set([
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
]);
/** joblib <= 0.9 wrappers: their data lives in a side file named by `filename`, loaded with allow_pickle. */
const SIDE_FILE_WRAPPER_PATHS = new Set([
  "joblib.numpy_pickle.NDArrayWrapper",
  "joblib.numpy_pickle.ZNDArrayWrapper",
  "joblib.numpy_pickle_compat.NDArrayWrapper",
  "joblib.numpy_pickle_compat.ZNDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.ZNDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle_compat.NDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle_compat.ZNDArrayWrapper",
]);
const INIT_PARAMETERS = ["subclass", "shape", "order", "dtype", "allow_mmap", "numpy_array_alignment_bytes"];
/** joblib's NUMPY_ARRAY_ALIGNMENT_BYTES, the `__init__` default. */
const DEFAULT_ALIGNMENT = 16;
/** Kinds whose dtype `__setstate__` takes elsize and flags from the state. */
const FLEXIBLE_KINDS = new Set(["S", "U", "V"]);

function dottedPath(cls: GlobalValue | undefined): string | undefined {
  return cls && cls.module !== null && cls.name !== null ? `${cls.module}.${cls.name}` : undefined;
}

export function isArrayWrapper(cls: GlobalValue | undefined): boolean {
  const path = dottedPath(cls);
  return path !== undefined && WRAPPER_PATHS.has(path);
}

export function isSideFileWrapper(cls: GlobalValue | undefined): boolean {
  const path = dottedPath(cls);
  return path !== undefined && SIDE_FILE_WRAPPER_PATHS.has(path);
}

/**
 * The instance attributes an object ends up with: `__init__` arguments when its class was called
 * (`names` gives their order, `defaults` the rest), updated by the BUILD state. Undefined when the
 * state is not something `load_build` could apply, or holds more keys than the machine kept.
 */
export function instanceAttributes(
  object: ObjectValue,
  names: readonly string[],
  defaults: Readonly<Record<string, Value>>,
): Map<string, Value> | undefined {
  const attributes = new Map<string, Value>();
  // NEWOBJ/NEWOBJ_EX run only __new__; REDUCE, INST and OBJ call the class, so __init__ runs.
  if (
    !object.reclassed &&
    object.via !== "NEWOBJ" &&
    object.via !== "NEWOBJ_EX" &&
    object.callee.name !== "__newobj__"
  ) {
    const args = object.args;
    const given = args?.type === "tuple" && args.count === args.items.length ? args.items : undefined;
    if (given === undefined && args !== undefined) return undefined;
    for (const [name, value] of Object.entries(defaults)) attributes.set(name, value);
    (given ?? []).forEach((value, index) => {
      const name = names[index];
      if (name !== undefined) attributes.set(name, value);
    });
  }
  const state = object.state;
  const parts = state?.type === "tuple" && state.count === 2 ? state.items : [state];
  for (const part of parts) {
    if (part === undefined || part.type === "none") continue;
    if (part.type !== "dict" || part.entries.length < part.count * 2) return undefined;
    for (let index = 0; index + 1 < part.entries.length; index += 2) {
      const key = part.entries[index] as Value;
      if (key.type === "str") attributes.set(key.text, part.entries[index + 1] as Value);
    }
  }
  return attributes;
}

/** Reads the bytes of a bytes value from the pickle buffer. */
export type BytesReader = (value: BytesValue) => Uint8Array;

/**
 * An integer as NumPy sees it: a Python int, or a pickled NumPy integer scalar
 * (`numpy.core.multiarray.scalar(dtype('<i8'), b'...')`, its bytes as `_codecs.encode(str,
 * 'latin1')` below protocol 3), which joblib casts with `np.int64(x)`.
 */
function integerOf(value: Value, bytesOf: BytesReader): number | undefined {
  if (value.type === "int") return value.value;
  if (value.type !== "object" || value.callee.name !== "scalar" || !value.callee.module?.startsWith("numpy")) {
    return undefined;
  }
  const args = value.args?.type === "tuple" ? value.args.items : [];
  const dtype = args[0];
  const typeArg = dtype?.type === "object" && dtype.args?.type === "tuple" ? dtype.args.items[0] : undefined;
  const state = dtype?.type === "object" && dtype.state?.type === "tuple" ? dtype.state.items : [];
  const match = typeArg?.type === "str" ? /^[<>|=]?([iu])([1248])$/.exec(typeArg.text) : null;
  const raw = scalarBytes(args[1], bytesOf);
  if (!match || !raw || raw.length !== Number(match[2])) return undefined;
  const bigEndian = state[1]?.type === "str" && state[1].text === ">";
  let result = 0n;
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[bigEndian ? index : raw.length - 1 - index] as number;
    result = (result << 8n) | BigInt(byte);
  }
  if (match[1] === "i" && raw.length > 0 && result >= 1n << BigInt(raw.length * 8 - 1)) {
    result -= 1n << BigInt(raw.length * 8);
  }
  const number = Number(result);
  return Number.isSafeInteger(number) ? number : undefined;
}

function scalarBytes(value: Value | undefined, bytesOf: BytesReader): Uint8Array | undefined {
  if (value?.type === "bytes") return bytesOf(value);
  if (value?.type === "object" && value.callee.module === "_codecs" && value.callee.name === "encode") {
    const text = value.args?.type === "tuple" ? value.args.items[0] : undefined;
    if (text?.type !== "str" || [...text.text].some((character) => character.charCodeAt(0) > 0xff)) return undefined;
    return Uint8Array.from(text.text, (character) => character.charCodeAt(0));
  }
  return undefined;
}

export function joblibArrayLayout(wrapper: ObjectValue, bytesOf: BytesReader): JoblibArrayLayout {
  const attributes = instanceAttributes(wrapper, INIT_PARAMETERS, {
    allow_mmap: { type: "bool", value: false },
    numpy_array_alignment_bytes: { type: "int", value: DEFAULT_ALIGNMENT },
  });
  if (!attributes) return { kind: "unknown", reason: "the wrapper state is not a dict joblib can apply" };
  const shapeValue = attributes.get("shape");
  if ((shapeValue?.type !== "tuple" && shapeValue?.type !== "list") || shapeValue.count !== shapeValue.items.length) {
    return { kind: "unknown", reason: "the wrapper has no shape tuple" };
  }
  const shape: number[] = [];
  for (const dimension of shapeValue.items) {
    const value = integerOf(dimension, bytesOf);
    if (value === undefined) return { kind: "unknown", reason: "a shape dimension is not an integer" };
    shape.push(value);
  }
  const count = elementCount(shape);
  if (count === null) return { kind: "unknown", reason: `shape (${shape.join(", ")}) is not a valid array shape` };

  const dtype = attributes.get("dtype");
  if (dtype?.type !== "object" || dtype.callee.name !== "dtype" || !dtype.callee.module?.startsWith("numpy")) {
    return { kind: "unknown", reason: "the wrapper dtype is not a numpy.dtype object" };
  }
  const args = dtype.args;
  const typeArg = args?.type === "tuple" ? args.items[0] : undefined;
  const align = args?.type === "tuple" && isTruthy(args.items[1]);
  const scalar = typeArg ? dtypeSpec(typeArg, align, 0) : undefined;
  const spelled = typeArg?.type === "str" ? typeArg.text : "(structured)";
  if (!scalar) return { kind: "unknown", reason: `cannot tell the item size of dtype ${spelled}` };
  const typeText = spelled;
  // numpy.dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
  const dtypeState = dtype.state;
  const stateItems = dtypeState?.type === "tuple" ? dtypeState.items : undefined;
  const byteOrder = stateItems?.[1]?.type === "str" ? stateItems[1].text : "";
  const label = `${byteOrder === "|" ? "" : byteOrder}${typeText}`;
  if (scalar.object) return { kind: "object", dtype: label, shape };

  let itemSize = scalar.itemSize;
  if (dtypeState !== undefined) {
    if (stateItems === undefined || stateItems.length < 6) {
      return { kind: "unknown", reason: `dtype ${typeText} has a state joblib's NumPy reads in a way we do not model` };
    }
    const version = stateItems[0];
    if (version?.type !== "int" || version.value < 0 || version.value > 4) {
      return { kind: "unknown", reason: `dtype ${typeText} has a state of a version NumPy does not read` };
    }
    // The object flag (NPY_ITEM_HASOBJECT, bit 0) makes joblib pickle.load the array: NumPy takes
    // it from a version 3-4 state for every kind of dtype, and before that from the state's fields.
    if (version.value >= 3) {
      const flags = stateItems[7];
      if (flags?.type !== "int") return { kind: "unknown", reason: `dtype ${typeText} state has no integer flags` };
      if ((flags.value & 1) === 1) return { kind: "object", dtype: label, shape };
    } else {
      const objects = fieldsHoldObjects(stateItems[4]);
      if (objects === undefined) {
        return { kind: "unknown", reason: `dtype ${typeText} state has fields whose types we cannot tell` };
      }
      if (objects) return { kind: "object", dtype: label, shape };
    }
    if (FLEXIBLE_KINDS.has(scalar.kind)) {
      // Flexible types take their size from the state (fixed-size types ignore it).
      const elsize = stateItems[5];
      if (elsize?.type !== "int") return { kind: "unknown", reason: `dtype ${typeText} state has no integer elsize` };
      itemSize = elsize.value;
    }
  }
  if (!Number.isSafeInteger(itemSize) || itemSize <= 0) {
    return { kind: "unknown", reason: `dtype ${typeText} has item size ${itemSize}` };
  }
  const byteLength = count * itemSize;
  if (!Number.isSafeInteger(byteLength)) return { kind: "unknown", reason: "the array byte length overflows" };

  let alignment: number | null = null;
  const alignmentValue = attributes.get("numpy_array_alignment_bytes");
  if (alignmentValue?.type === "int") alignment = alignmentValue.value;
  else if (alignmentValue !== undefined && alignmentValue.type !== "none") {
    // Any other non-None value still makes joblib read the padding byte.
    alignment = Number.NaN;
  }
  const order = attributes.get("order");
  const fortran = order?.type === "str" && order.text === "F";
  return { kind: "numeric", dtype: label, shape, itemSize, byteLength, alignment, fortran };
}

/**
 * Whether a dtype state's fields (`{name: (dtype, offset[, title])}` or None) hold an object field,
 * as NumPy recomputes the object flag for a state before version 3; undefined when a field's type
 * cannot be told.
 */
function fieldsHoldObjects(fields: Value | undefined, depth = 0): boolean | undefined {
  if (fields === undefined || fields.type === "none") return false;
  // A memo can make a dtype its own field: the nesting is bounded as dtype specs are.
  if (depth > MAX_DTYPE_NESTING) return undefined;
  if (fields.type !== "dict" || fields.entries.length < fields.count * 2) return undefined;
  let objects = false;
  for (let index = 1; index < fields.entries.length; index += 2) {
    const entry = fields.entries[index] as Value;
    const dtype = entry.type === "tuple" ? entry.items[0] : undefined;
    if (dtype?.type !== "object" || dtype.callee.name !== "dtype" || !dtype.callee.module?.startsWith("numpy")) {
      return undefined;
    }
    const args = dtype.args;
    const spec =
      args?.type === "tuple" && args.items[0] ? dtypeSpec(args.items[0], isTruthy(args.items[1]), 0) : undefined;
    if (!spec) return undefined;
    const state = dtype.state?.type === "tuple" ? dtype.state.items : undefined;
    const flags = state?.[0]?.type === "int" && state[0].value >= 3 ? state[7] : undefined;
    if (spec.object || (flags?.type === "int" && (flags.value & 1) === 1)) objects = true;
    // A field dtype with fields of its own (version < 3) is judged by them.
    if (state?.[0]?.type === "int" && state[0].value < 3) {
      const inner = fieldsHoldObjects(state[4], depth + 1);
      if (inner === undefined) return undefined;
      objects ||= inner;
    }
  }
  return objects;
}

function isTruthy(value: Value | undefined): boolean {
  return (value?.type === "bool" && value.value) || (value?.type === "int" && value.value !== 0);
}

const MAX_DTYPE_NESTING = 16;

/**
 * What `numpy.dtype(spec, align)` makes of the spec forms a pickle can spell without numpy's own
 * reduction: a type string (also `"f8,i4"`), a field list `[(name, spec[, shape]), ...]`, a
 * `(spec, shape)` subarray tuple, or a `{names, formats[, offsets][, itemsize]}` dict. Undefined for
 * anything else: the caller then cannot tell where the array ends and fails closed.
 */
function dtypeSpec(spec: Value, align: boolean, depth: number): ScalarType | undefined {
  if (depth > MAX_DTYPE_NESTING) return undefined;
  if (spec.type === "str") {
    if (!spec.text.includes(",")) return parseTypeString(spec.text) ?? undefined;
    return structured(
      spec.text.split(",").map((part) => ({ spec: { type: "str", text: part.trim(), byteLength: part.length } })),
      align,
      depth,
    );
  }
  if (spec.type === "tuple" && spec.count === 2) {
    const base = spec.items[0] ? dtypeSpec(spec.items[0], align, depth + 1) : undefined;
    const repeat = repeatCount(spec.items[1]);
    if (!base || repeat === undefined) return undefined;
    return { itemSize: base.itemSize * repeat, object: base.object, kind: "V" };
  }
  if (spec.type === "list" && spec.count === spec.items.length) {
    const fields: Field[] = [];
    for (const item of spec.items) {
      if (item.type !== "tuple" || item.count < 2 || item.count > 3 || !item.items[1]) return undefined;
      fields.push({ spec: item.items[1], shape: item.items[2] });
    }
    return structured(fields, align, depth);
  }
  if (spec.type === "dict" && spec.entries.length >= spec.count * 2) {
    const formats = dictGet(spec, "formats");
    const offsets = dictGet(spec, "offsets");
    const explicit = dictGet(spec, "itemsize");
    if (formats?.type !== "list" && formats?.type !== "tuple") return undefined;
    const fieldTypes = formats.items.map((item) => dtypeSpec(item, align, depth + 1));
    if (fieldTypes.some((field) => field === undefined)) return undefined;
    const types = fieldTypes as ScalarType[];
    let itemSize: number | undefined;
    if (offsets?.type === "list" || offsets?.type === "tuple") {
      itemSize = 0;
      for (const [index, type] of types.entries()) {
        const at = offsets.items[index];
        if (at?.type !== "int") return undefined;
        itemSize = Math.max(itemSize, at.value + type.itemSize);
      }
    } else {
      itemSize = structured(
        types.map((type) => ({ resolved: type })),
        align,
        depth,
      )?.itemSize;
    }
    if (explicit?.type === "int") itemSize = explicit.value;
    if (itemSize === undefined) return undefined;
    return { itemSize, object: types.some((type) => type.object), kind: "V" };
  }
  return undefined;
}

interface Field {
  spec?: Value;
  shape?: Value | undefined;
  resolved?: ScalarType;
}

/** Packed fields, or with `align` each at a multiple of its alignment and the whole padded to the largest. */
function structured(fields: readonly Field[], align: boolean, depth: number): ScalarType | undefined {
  let offset = 0;
  let largest = 1;
  let object = false;
  for (const field of fields) {
    const type = field.resolved ?? (field.spec ? dtypeSpec(field.spec, align, depth + 1) : undefined);
    const repeat = field.shape === undefined ? 1 : repeatCount(field.shape);
    if (!type || repeat === undefined) return undefined;
    const alignment = align ? Math.min(Math.max(1, scalarAlignment(type)), 16) : 1;
    offset = Math.ceil(offset / alignment) * alignment + type.itemSize * repeat;
    largest = Math.max(largest, alignment);
    object ||= type.object;
  }
  const itemSize = align ? Math.ceil(offset / largest) * largest : offset;
  return Number.isSafeInteger(itemSize) ? { itemSize, object, kind: "V" } : undefined;
}

/** A scalar's C alignment: its size for numbers, 1 for bytes, 4 for UCS-4 text, the part size for complex. */
function scalarAlignment(type: ScalarType): number {
  if (type.kind === "S" || type.kind === "V" || type.kind === "b") return 1;
  if (type.kind === "U") return 4;
  if (type.kind === "c") return type.itemSize / 2;
  return type.itemSize;
}

function repeatCount(shape: Value | undefined): number | undefined {
  if (shape?.type === "int") return shape.value >= 0 ? shape.value : undefined;
  if (shape?.type !== "tuple" || shape.count !== shape.items.length) return undefined;
  const dimensions = shape.items.map((item) => (item.type === "int" ? item.value : -1));
  return elementCount(dimensions) ?? undefined;
}

/** The side file a joblib <= 0.9 wrapper makes joblib load (with allow_pickle), when it names one. */
export function sideFileName(wrapper: ObjectValue): string | undefined {
  const attributes = instanceAttributes(wrapper, ["filename", "init_args", "state"], {});
  const filename = attributes?.get("filename") ?? dictGet(wrapper.state, "filename");
  return filename?.type === "str" ? filename.text : undefined;
}

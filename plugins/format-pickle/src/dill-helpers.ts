/**
 * dill's load helpers that do not run code of their own (dill `_dill.py`), read as what they reach:
 *  - `_load_type(name)` returns `_reverse_typemap[name]`, a fixed table of builtin and `types`
 *    classes: a type lookup, judged as the import of that type (`types.CodeType` stays dangerous);
 *  - `_import_module(name)` is `__import__(name)` (the module itself) or, for `a.b.c`,
 *    `getattr(__import__("a.b"), "c")`: judged as the import of that module or name;
 *  - `_create_array(f, args, state, npdict=None)` is `f(*args).__setstate__(state)`: judged as the
 *    call of `f` and the BUILD of its result;
 *  - `_eval_repr(text)` is `eval(text)`, which dill writes for `Ellipsis`, `NotImplemented` and
 *    range objects (their repr): those texts are judged as the builtins they name, any other as eval.
 * Only constant arguments resolve; anything else leaves the helper judged as itself (dill is a
 * dangerous module). `_create_function`, `_create_code` and the rest build code and are never resolved
 * here.
 */

/** The modules dill's helpers live in (dill >= 0.3 `dill._dill`, older `dill.dill`). */
const DILL_MODULES = new Set(["dill._dill", "dill.dill"]);

export type DillHelper = "_load_type" | "_import_module" | "_create_array" | "_eval_repr";

const HELPERS = new Set<string>(["_load_type", "_import_module", "_create_array", "_eval_repr"]);

/** The texts dill's `save_singleton` hands `_eval_repr`: `obj.__repr__()` of Ellipsis, NotImplemented, a range. */
const SINGLETON_REPRS = new Set(["Ellipsis", "NotImplemented"]);
const RANGE_REPR = /^range\(-?\d{1,30}, -?\d{1,30}(?:, -?\d{1,30})?\)$/;

/** What `_eval_repr(text)` evaluates to, when it is a repr dill writes; undefined for any other text. */
export function dillEvalRepr(text: string): { module: string; name: string } | undefined {
  if (SINGLETON_REPRS.has(text)) return { module: "builtins", name: text };
  return RANGE_REPR.test(text) ? { module: "builtins", name: "range" } : undefined;
}

export function dillHelper(module: string | null, name: string | null): DillHelper | undefined {
  if (module === null || name === null || !DILL_MODULES.has(module) || !HELPERS.has(name)) return undefined;
  return name as DillHelper;
}

/** `types` module names in dill's typemap, judged under `types` as a pickle of them would name them. */
const TYPES_MODULE_NAMES = [
  "AsyncGeneratorType",
  "BuiltinFunctionType",
  "BuiltinMethodType",
  "CellType",
  "ClassMethodDescriptorType",
  "CodeType",
  "CoroutineType",
  "FrameType",
  "FunctionType",
  "GeneratorType",
  "GetSetDescriptorType",
  "LambdaType",
  "MappingProxyType",
  "MemberDescriptorType",
  "MethodDescriptorType",
  "MethodType",
  "MethodWrapperType",
  "ModuleType",
  "TracebackType",
  "WrapperDescriptorType",
];

/** Builtin classes in dill's typemap (`__builtin__.__dict__` types), under their own names. */
const BUILTIN_CLASSES = [
  "bool",
  "bytearray",
  "bytes",
  "classmethod",
  "complex",
  "dict",
  "enumerate",
  "filter",
  "float",
  "frozenset",
  "int",
  "list",
  "map",
  "memoryview",
  "object",
  "property",
  "range",
  "reversed",
  "set",
  "slice",
  "staticmethod",
  "str",
  "super",
  "tuple",
  "type",
  "zip",
];

/** The rest of dill's typemap: implementation types under the module and name they live at. */
const OTHER_TYPES: Readonly<Record<string, readonly [string, string]>> = {
  NoneType: ["builtins", "NoneType"],
  EllipsisType: ["builtins", "ellipsis"],
  NotImplementedType: ["builtins", "NotImplementedType"],
  PartialType: ["functools", "partial"],
  SuperType: ["builtins", "super"],
  ItemGetterType: ["operator", "itemgetter"],
  AttrGetterType: ["operator", "attrgetter"],
  FileType: ["io", "FileIO"],
  BufferedRandomType: ["io", "BufferedRandom"],
  BufferedReaderType: ["io", "BufferedReader"],
  BufferedWriterType: ["io", "BufferedWriter"],
  TextWrapperType: ["io", "TextIOWrapper"],
  PyBufferedRandomType: ["_pyio", "BufferedRandom"],
  PyBufferedReaderType: ["_pyio", "BufferedReader"],
  PyBufferedWriterType: ["_pyio", "BufferedWriter"],
  PyTextWrapperType: ["_pyio", "TextIOWrapper"],
  DictKeysType: ["builtins", "dict_keys"],
  DictValuesType: ["builtins", "dict_values"],
  DictItemsType: ["builtins", "dict_items"],
  OdictKeysType: ["collections", "odict_keys"],
  OdictValuesType: ["collections", "odict_values"],
  OdictItemsType: ["collections", "odict_items"],
  ExitType: ["_sitebuiltins", "Quitter"],
  PyCapsuleType: ["builtins", "PyCapsule"],
  GenericAliasIteratorType: ["builtins", "generic_alias_iterator"],
};

/** Python's builtin exception and warning classes, also in dill's typemap. */
const BASE_EXCEPTIONS = new Set(["BaseException", "Exception", "Warning"]);
const EXCEPTION_NAME = /^[A-Z][A-Za-z]*(?:Error|Exception|Warning|Exit|Interrupt|Iteration|Group)$/;

/** What `_load_type(name)` returns, as the global a pickle would import; undefined for a name not in the table. */
export function dillLoadType(name: string): { module: string; name: string } | undefined {
  if (Object.hasOwn(OTHER_TYPES, name)) {
    const [module, attribute] = OTHER_TYPES[name] as readonly [string, string];
    return { module, name: attribute };
  }
  if (TYPES_MODULE_NAMES.includes(name)) return { module: "types", name };
  if (BUILTIN_CLASSES.includes(name)) return { module: "builtins", name };
  if (EXCEPTION_NAME.test(name) || BASE_EXCEPTIONS.has(name)) return { module: "builtins", name };
  return undefined;
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * What `_import_module(name)` imports: `a.b.c` as the global `a.b`/`c`, a bare `a` as the module
 * itself (an empty name). Undefined for `__runtime__.` names (looked up in `sys.modules`) and for
 * anything that is not a dotted identifier.
 */
export function dillImportModule(text: string): { module: string; name: string } | undefined {
  if (!DOTTED.test(text) || text.startsWith("__runtime__.")) return undefined;
  const dot = text.lastIndexOf(".");
  return dot < 0 ? { module: text, name: "" } : { module: text.slice(0, dot), name: text.slice(dot + 1) };
}

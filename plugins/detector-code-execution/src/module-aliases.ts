/**
 * Module names that load the same objects under another name. Judging happens on the canonical
 * name so one list entry covers every spelling: `posix.system` and `nt.system` are `os.system`,
 * and Python 2 names are what the unpickler's fix_imports maps them to.
 */
export const MODULE_ALIASES: Readonly<Record<string, string>> = {
  __builtin__: "builtins",
  __builtins__: "builtins",
  posix: "os",
  nt: "os",
  _pickle: "pickle",
  cPickle: "pickle",
  _io: "io",
  _operator: "operator",
  _codecs: "codecs",
  _functools: "functools",
  copy_reg: "copyreg",
  _collections: "collections",
  _datetime: "datetime",
  _decimal: "decimal",
  _pydecimal: "decimal",
  _asyncio: "asyncio",
  _multiprocessing: "multiprocessing",
  _sqlite3: "sqlite3",
  _socket: "socket",
  _signal: "signal",
};

/** Replaces the first component of a dotted path with its canonical module name. */
export function canonicalPath(components: readonly string[]): string[] {
  const [first, ...rest] = components;
  if (first === undefined) return [];
  const alias = Object.hasOwn(MODULE_ALIASES, first) ? MODULE_ALIASES[first] : undefined;
  return alias === undefined ? [...components] : [...alias.split("."), ...rest];
}

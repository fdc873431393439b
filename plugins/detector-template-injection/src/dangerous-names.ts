/**
 * Names a chat template has no business reaching. Real chat templates read dict keys and call string
 * methods; everything here is a step of a known Jinja server-side template injection chain.
 */

/** Python object internals: each one is a step from a template value to arbitrary objects or code. */
const INTERNAL_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ["__class__", "it turns any value into its type, the first step of the classic subclass walk"],
  ["__mro__", "it lists every base class, reaching object and through it every loaded class"],
  ["__base__", "it reaches a base class, on the way to object.__subclasses__()"],
  ["__bases__", "it reaches the base classes, on the way to object.__subclasses__()"],
  ["__subclasses__", "it lists every loaded class, including subprocess.Popen and os._wrap_close"],
  ["__globals__", "it exposes the module globals of a function, including os and __builtins__"],
  ["__builtins__", "it exposes eval, exec, open and __import__"],
  ["__import__", "it imports any module, such as os or subprocess"],
  ["__init__", "it reaches a Python function whose __globals__ hold module internals"],
  ["__dict__", "it exposes an object's internals, including private state"],
  ["__code__", "it exposes a function's bytecode"],
  ["__closure__", "it exposes the variables a function closes over"],
  ["__getattribute__", "it looks attributes up past the sandbox"],
  ["__getattr__", "it looks attributes up past the sandbox"],
  ["__self__", "it reaches the object a builtin method is bound to"],
  ["__func__", "it reaches the function behind a bound method"],
  ["__module__", "it names the module of an object, a step towards its globals"],
  ["__loader__", "it reaches the module loader, which can load and run modules"],
  ["__spec__", "it reaches the module spec and its loader"],
  ["__reduce__", "it exposes the pickling protocol, which names callables to run"],
  ["__reduce_ex__", "it exposes the pickling protocol, which names callables to run"],
  ["__subclasshook__", "it reaches a classmethod of object, on the way to class internals"],
  ["__getitem__", "it calls item lookup directly, a way round the sandbox's checks"],
  ["__call__", "it calls an object directly, a way round the sandbox's checks"],
  ["__new__", "it constructs objects directly, a way round the sandbox's checks"],
  ["func_globals", "it exposes the module globals of a function (Python 2 spelling)"],
  ["func_code", "it exposes a function's bytecode (Python 2 spelling)"],
  ["im_func", "it reaches the function behind a method (Python 2 spelling)"],
  ["f_globals", "it exposes the globals of a running frame"],
  ["f_locals", "it exposes the locals of a running frame"],
  ["f_builtins", "it exposes the builtins of a running frame"],
  ["f_back", "it walks up the running frames"],
  ["gi_frame", "it reaches the frame of a generator"],
  ["gi_code", "it reaches the code of a generator"],
  ["cr_frame", "it reaches the frame of a coroutine"],
  ["ag_frame", "it reaches the frame of an async generator"],
  ["tb_frame", "it reaches the frame of a traceback"],
  ["tb_next", "it walks a traceback towards its frames"],
  ["_TemplateReference__context", "it reaches the Jinja render context and every global in it"],
  ["_module", "it reaches the Jinja module object of a template"],
]);

/** Modules and callables that run commands, code or file access once reached. */
const DANGEROUS_NAMES: ReadonlyMap<string, string> = new Map([
  ["os", "the os module runs commands and touches files"],
  ["subprocess", "the subprocess module runs commands"],
  ["popen", "popen runs a shell command"],
  ["system", "system runs a shell command"],
  ["spawn", "spawn runs a program"],
  ["spawnl", "spawnl runs a program"],
  ["spawnv", "spawnv runs a program"],
  ["execl", "execl replaces the process with a program"],
  ["execv", "execv replaces the process with a program"],
  ["check_output", "check_output runs a command"],
  ["check_call", "check_call runs a command"],
  ["getoutput", "getoutput runs a shell command"],
  ["getstatusoutput", "getstatusoutput runs a shell command"],
  ["Popen", "Popen runs a command"],
  ["eval", "eval runs Python code"],
  ["exec", "exec runs Python code"],
  ["compile", "compile builds Python code objects"],
  ["import", "importing loads arbitrary modules"],
  ["import_module", "import_module loads arbitrary modules"],
  ["importlib", "importlib loads arbitrary modules"],
  ["load_module", "load_module loads and runs a module"],
  ["exec_module", "exec_module runs a module"],
  ["builtins", "the builtins module holds eval, exec, open and __import__"],
  ["open", "open reads and writes files"],
  ["sys", "the sys module reaches every loaded module"],
  ["modules", "sys.modules reaches every loaded module"],
  ["pty", "the pty module spawns shells"],
  ["socket", "the socket module opens network connections"],
  ["shutil", "the shutil module copies and deletes files"],
  ["breakpoint", "breakpoint starts an interactive debugger"],
  ["getattr", "getattr looks attributes up past the sandbox"],
  ["setattr", "setattr changes objects past the sandbox"],
  ["globals", "globals exposes module internals"],
  ["locals", "locals exposes frame internals"],
  ["vars", "vars exposes object internals"],
]);

/** Callables that, called as a bare global, run code or touch files. */
const DANGEROUS_GLOBAL_CALLS = new Set([
  "eval",
  "exec",
  "compile",
  "__import__",
  "open",
  "getattr",
  "setattr",
  "globals",
  "locals",
  "vars",
  "breakpoint",
  "import_module",
]);

/** Modules that, used as a bare global, mean the render context hands out the module itself. */
const DANGEROUS_GLOBAL_MODULES = new Set([
  "os",
  "subprocess",
  "sys",
  "builtins",
  "__builtins__",
  "importlib",
  "pty",
  "socket",
  "shutil",
]);

/**
 * Jinja and Flask globals that published SSTI payloads start from. Legitimate templates call
 * `namespace(...)` and friends; only a chain from them to internals or dangerous names is judged.
 */
const GADGET_ROOTS = new Set([
  "self",
  "cycler",
  "joiner",
  "namespace",
  "lipsum",
  "range",
  "dict",
  "url_for",
  "get_flashed_messages",
  "config",
  "request",
  "application",
  "session",
  "g",
]);

/** Attributes that, read from a gadget root, are steps of published payloads even without underscores. */
const GADGET_HOPS = new Set(["application", "environ", "environment", "from_pyfile", "from_object", "from_envvar"]);

export function internalAttributeReason(name: string): string | undefined {
  return INTERNAL_ATTRIBUTES.get(name);
}

/** A dunder or underscore name the Jinja sandbox refuses, that is not in the known-internal list. */
export function isPrivateName(name: string): boolean {
  return name.startsWith("_") && !INTERNAL_ATTRIBUTES.has(name);
}

export function dangerousNameReason(name: string): string | undefined {
  return DANGEROUS_NAMES.get(name);
}

export function isDangerousGlobalCall(name: string): boolean {
  return DANGEROUS_GLOBAL_CALLS.has(name);
}

export function isDangerousGlobalModule(name: string): boolean {
  return DANGEROUS_GLOBAL_MODULES.has(name);
}

export function isGadgetRoot(name: string): boolean {
  return GADGET_ROOTS.has(name);
}

export function isGadgetHop(name: string): boolean {
  return GADGET_HOPS.has(name);
}

/** Every internal attribute name, for the raw-text fallback when a template does not parse. */
export function internalAttributeNames(): string[] {
  return [...INTERNAL_ATTRIBUTES.keys()];
}

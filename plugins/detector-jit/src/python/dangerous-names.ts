/**
 * What a resolved dotted name does when called: the catalog the Python and TorchScript analysis
 * judges calls by. Names are canonical (`builtins.open`, `os.system`, `pathlib.Path().write_text`).
 */

export type CallCategory =
  | "process"
  | "dynamic-code"
  | "dynamic-import"
  | "native-library"
  | "native-interface"
  | "file-write"
  | "file-open"
  | "network"
  | "deserialization"
  | "code-deserialization"
  | "unsafe-torch-load"
  | "jit-compile"
  | "python-operator";

export type CodeLanguageJudged = "python" | "torchscript";

const OS_PROCESS = [
  "system",
  "popen",
  "popen2",
  "popen3",
  "popen4",
  "execl",
  "execle",
  "execlp",
  "execlpe",
  "execv",
  "execve",
  "execvp",
  "execvpe",
  "spawnl",
  "spawnle",
  "spawnlp",
  "spawnlpe",
  "spawnv",
  "spawnve",
  "spawnvp",
  "spawnvpe",
  "posix_spawn",
  "posix_spawnp",
  "fork",
  "forkpty",
  "kill",
  "killpg",
  "startfile",
];
const OS_FILE = [
  "remove",
  "unlink",
  "rmdir",
  "removedirs",
  "rename",
  "renames",
  "replace",
  "truncate",
  "chmod",
  "chown",
  "lchown",
  "symlink",
  "link",
  "mkfifo",
];
const SHUTIL_FILE = [
  "rmtree",
  "move",
  "copy",
  "copy2",
  "copyfile",
  "copytree",
  "copymode",
  "copystat",
  "chown",
  "make_archive",
  "unpack_archive",
];
const PATH_FILE = [
  "write_text",
  "write_bytes",
  "unlink",
  "rmdir",
  "rename",
  "replace",
  "symlink_to",
  "hardlink_to",
  "chmod",
  "touch",
];

const EXACT = new Map<string, CallCategory>([
  ...OS_PROCESS.map((name) => [`os.${name}`, "process"] as const),
  ...OS_FILE.map((name) => [`os.${name}`, "file-write"] as const),
  ...SHUTIL_FILE.map((name) => [`shutil.${name}`, "file-write"] as const),
  ...PATH_FILE.map((name) => [`pathlib.Path().${name}`, "file-write"] as const),
  ["pty.spawn", "process"],
  ["pty.fork", "process"],
  ["platform.popen", "process"],
  ["asyncio.create_subprocess_exec", "process"],
  ["asyncio.create_subprocess_shell", "process"],
  ["pexpect.spawn", "process"],
  ["pexpect.run", "process"],
  ["builtins.eval", "dynamic-code"],
  ["builtins.exec", "dynamic-code"],
  ["builtins.compile", "dynamic-code"],
  ["builtins.execfile", "dynamic-code"],
  ["runpy.run_path", "dynamic-code"],
  ["runpy.run_module", "dynamic-code"],
  ["runpy._run_code", "dynamic-code"],
  ["runpy._run_module_code", "dynamic-code"],
  ["importlib.util.spec_from_file_location", "dynamic-code"],
  ["importlib.util.spec_from_loader", "dynamic-code"],
  ["importlib.machinery.SourceFileLoader", "dynamic-code"],
  ["importlib.machinery.SourcelessFileLoader", "dynamic-code"],
  ["imp.load_source", "dynamic-code"],
  ["imp.load_compiled", "dynamic-code"],
  ["imp.load_module", "dynamic-code"],
  ["imp.load_package", "dynamic-code"],
  ["imp.load_dynamic", "native-library"],
  ["zipimport.zipimporter", "dynamic-code"],
  ["multiprocessing.util.spawnv_passfds", "process"],
  ["_posixsubprocess.fork_exec", "process"],
  ["os.fork_exec", "process"],
  ["code.InteractiveInterpreter", "dynamic-code"],
  ["code.interact", "dynamic-code"],
  ["builtins.__import__", "dynamic-import"],
  ["importlib.import_module", "dynamic-import"],
  ["importlib.__import__", "dynamic-import"],
  ["ctypes.CDLL", "native-library"],
  ["ctypes.PyDLL", "native-library"],
  ["ctypes.WinDLL", "native-library"],
  ["ctypes.OleDLL", "native-library"],
  ["ctypes.LibraryLoader", "native-library"],
  ["_ctypes.dlopen", "native-library"],
  ["_ctypes.LoadLibrary", "native-library"],
  ["cffi.FFI().dlopen", "native-library"],
  ["torch.ops.load_library", "native-library"],
  ["torch.classes.load_library", "native-library"],
  ["torch.utils.cpp_extension.load", "native-library"],
  ["torch.utils.cpp_extension.load_inline", "native-library"],
  ["os.add_dll_directory", "native-library"],
  ["importlib.machinery.ExtensionFileLoader", "native-library"],
  ["builtins.open", "file-open"],
  ["io.open", "file-open"],
  ["codecs.open", "file-open"],
  ["os.open", "file-open"],
  ["os.fdopen", "file-open"],
  ["pathlib.Path().open", "file-open"],
  ["urllib.request.urlopen", "network"],
  ["urllib.request.urlretrieve", "network"],
  ["urllib.request.build_opener", "network"],
  ["urllib.urlopen", "network"],
  ["urllib.urlretrieve", "network"],
  ["http.client.HTTPConnection", "network"],
  ["http.client.HTTPSConnection", "network"],
  ["xmlrpc.client.ServerProxy", "network"],
  ["asyncio.open_connection", "network"],
  ["pickle.load", "deserialization"],
  ["pickle.loads", "deserialization"],
  ["pickle.Unpickler", "deserialization"],
  ["dill.load", "deserialization"],
  ["dill.loads", "deserialization"],
  ["cloudpickle.load", "deserialization"],
  ["cloudpickle.loads", "deserialization"],
  ["joblib.load", "deserialization"],
  ["shelve.open", "deserialization"],
  ["yaml.unsafe_load", "deserialization"],
  ["jsonpickle.decode", "deserialization"],
  ["marshal.load", "code-deserialization"],
  ["marshal.loads", "code-deserialization"],
  ["torch.load", "unsafe-torch-load"],
  ["torch.ops.prim.PythonOp", "python-operator"],
]);

/** Every call under these modules is judged; names with `()` inside are method calls on a result already judged. */
const PREFIXES: readonly [string, CallCategory][] = [
  ["subprocess.", "process"],
  ["commands.", "process"],
  ["pexpect.", "process"],
  ["ctypes.cdll.", "native-library"],
  ["ctypes.windll.", "native-library"],
  ["ctypes.oledll.", "native-library"],
  ["ctypes.pydll.", "native-library"],
  ["ctypes.", "native-interface"],
  ["socket.", "network"],
  ["requests.", "network"],
  ["httpx.", "network"],
  ["aiohttp.", "network"],
  ["urllib3.", "network"],
  ["pycurl.", "network"],
  ["paramiko.", "network"],
  ["telnetlib.", "network"],
  ["ftplib.", "network"],
  ["smtplib.", "network"],
  ["websocket.", "network"],
  ["websockets.", "network"],
];

/** Calls under a judged prefix that do nothing dangerous (lookups, constants, exception classes). */
const HARMLESS = [
  /^socket\.(gethostname|getfqdn|AF_\w+|SOCK_\w+|timeout|error|herror|gaierror)$/,
  /^requests\.(exceptions|utils|codes|status_codes|structures|compat)\./,
  /^requests\.(RequestException|HTTPError|ConnectionError|Timeout)$/,
  /^ctypes\.util\.find_library$/,
  /^ctypes\.(sizeof|c_\w+|Structure|Union|POINTER|byref|ArgumentError)$/,
];

/** Loader methods that run a module's code: `spec.loader.exec_module(m)`, `zipimporter(p).load_module(n)`. */
const CODE_LOADER = /^(importlib|zipimport|imp|pkgutil)\..*\.(exec_module|load_module)$/;

/** Marks a name part the analysis could not fold (`sys.modules[name]`, `getattr(os, name)`). */
export const COMPUTED = "<computed>";

/** Modules another module re-exports as an attribute (`shutil.os`, `typing.sys`): `<anything>.os.system` is `os.system`. */
const REEXPORTED =
  /^(?:[\w<>]+\.)+(?=(?:os|sys|subprocess|builtins|posix|nt|pty|ctypes|importlib|runpy|marshal|shutil|multiprocessing|zipimport|socket|pickle)\.)/;

const TORCHSCRIPT_JIT = /^torch\.(jit\.|compile$|_dynamo\.)/;

const ALIASES: readonly [RegExp, string][] = [
  [REEXPORTED, ""],
  // Any object's `__builtins__` (a module's, a function's globals') is the builtins namespace.
  [/^(?:[\w<>]+\.)*(__builtin__|__builtins__)(\.|$)/, "builtins$2"],
  [/^builtins\.(__builtins__|__builtin__|builtins)(\.|$)/, "builtins$2"],
  [/^(posix|nt)\./, "os."],
  [/^(cPickle|_pickle|pickle5)\./, "pickle."],
  [/^urllib2\./, "urllib.request."],
  [/^sys\.modules\./, ""],
  [REEXPORTED, ""],
  [/^pathlib\.(PosixPath|WindowsPath|PurePath|PurePosixPath)\(\)/, "pathlib.Path()"],
];

/** Rewrites aliases of the same callable to one spelling (`posix.system` → `os.system`). */
export function canonicalName(name: string): string {
  let result = name;
  for (const [pattern, replacement] of ALIASES) result = result.replace(pattern, replacement);
  return result;
}

/** The category of a call by its canonical dotted name, or undefined when it is not judged. */
export function classifyCall(name: string, language: CodeLanguageJudged): CallCategory | undefined {
  const exact = EXACT.get(name);
  if (exact) return exact;
  if (/^torch\.ops\.[\w]+\.PythonOp$/.test(name)) return "python-operator";
  if (CODE_LOADER.test(name)) return "dynamic-code";
  if (name.includes(COMPUTED)) return classifyComputed(name, language);
  if (language === "torchscript" && TORCHSCRIPT_JIT.test(name)) return "jit-compile";
  if (HARMLESS.some((pattern) => pattern.test(name))) return undefined;
  for (const [prefix, category] of PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    // `subprocess.Popen(...).communicate` is the result of a call judged already.
    if (name.slice(prefix.length).includes("()")) return undefined;
    return category;
  }
  return undefined;
}

/** Modules whose members run commands or code: what a module looked up by a computed name is tried as. */
const EXECUTING_MODULES = ["os", "builtins", "pty"];

/**
 * A name with a part computed at run time: `builtins.<computed>` (a builtin chosen at run time) and
 * `os.<computed>` run whatever the name says; `<computed>.system` (a module looked up by a computed name)
 * is judged as the member of the modules whose member of that name runs commands or code.
 */
function classifyComputed(name: string, language: CodeLanguageJudged): CallCategory | undefined {
  const parts = name.split(".");
  if (parts.at(-1) === COMPUTED && parts.length === 2 && EXECUTING_MODULES.includes(parts[0] as string)) {
    return parts[0] === "builtins" ? "dynamic-code" : "process";
  }
  if (parts.length !== 2 || parts[0] !== COMPUTED || parts[1] === "compile") return undefined;
  for (const module of EXECUTING_MODULES) {
    const category = classifyCall(`${module}.${parts[1]}`, language);
    if (category === "process" || category === "dynamic-code") return category;
  }
  return undefined;
}

/** Modules whose import alone is worth a note (info) or a warning when nothing visibly calls them. */
const IMPORT_WARNING = new Set([
  "subprocess",
  "socket",
  "ctypes",
  "_ctypes",
  "cffi",
  "pty",
  "pexpect",
  "commands",
  "posix",
  "nt",
  "runpy",
  "marshal",
  "telnetlib",
  "ftplib",
  "smtplib",
  "paramiko",
  "socketserver",
  "zipimport",
  "_posixsubprocess",
]);
/**
 * Modules real modelling and tokenizer code imports for ordinary reasons (copying a vocabulary file,
 * fetching an example image): an info note at most. `os` is deliberately absent: nearly every
 * modelling file imports it for paths and environment variables, its dangerous calls are judged.
 */
const IMPORT_INFO = new Set([
  "shutil",
  "requests",
  "urllib",
  "urllib2",
  "urllib3",
  "http.client",
  "httpx",
  "aiohttp",
  "pickle",
  "cPickle",
  "_pickle",
  "dill",
  "cloudpickle",
  "builtins",
  "__builtin__",
  "websocket",
  "websockets",
  "pycurl",
]);

/** Severity worth giving to an import of `module` with no visible call into it; undefined when unremarkable. */
export function importConcern(module: string): "warning" | "info" | undefined {
  const top = module.split(".")[0] ?? module;
  if (IMPORT_WARNING.has(top)) return "warning";
  if (IMPORT_INFO.has(top) || (top === "http" && module.startsWith("http.client"))) return "info";
  if (module.startsWith("urllib.request")) return "info";
  return undefined;
}

/** A folded path string pointing somewhere no model should write (dotfiles, system folders, other users). */
export function isSensitivePath(path: string): boolean {
  return /^~|\$HOME|%USERPROFILE%|(^|[/\\])\.(bashrc|bash_profile|profile|zshrc|zprofile|ssh|config|local|gitconfig|netrc|pypirc|aws|kube|docker)([/\\]|$)|authorized_keys|^\/(etc|usr|bin|sbin|lib|lib64|root|home|var|opt|boot|dev|proc|sys|tmp)(\/|$)|site-packages|dist-packages|crontab|\.git[/\\]hooks|^[A-Za-z]:[/\\]|^\\\\/.test(
    path,
  );
}

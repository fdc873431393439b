import type { CodeIssue } from "./code-issue.js";

const IMPORTERS = ["__import__", "import_module", "importlib", "IMPORT_NAME", "import"];
const OS_MODULES = ["os", "posix", "nt"];
const OS_PROCESS =
  /^(system|popen|execl|execle|execlp|execlpe|execv|execve|execvp|execvpe|spawnl|spawnle|spawnlp|spawnlpe|spawnv|spawnve|spawnvp|spawnvpe|posix_spawn|posix_spawnp|fork|forkpty|startfile)$/;
const SUBPROCESS_CALLS = ["Popen", "call", "run", "check_call", "check_output", "getoutput", "getstatusoutput"];
const DYNAMIC_CODE = ["eval", "exec", "compile", "execfile"];
const SOCKET_CALLS = ["socket", "create_connection", "connect", "send", "sendall", "sendto"];
const NETWORK_MODULES = [
  "requests",
  "urllib",
  "urllib2",
  "urllib3",
  "httpx",
  "http",
  "aiohttp",
  "urlopen",
  "urlretrieve",
];
/**
 * Names only dynamic lookups use: the builtins namespace, other functions' globals, the class hierarchy
 * walk, frames. A real Lambda layer (`x * 2`, `tf.expand_dims(x, -1)`) never names them.
 */
const INTERNALS = [
  "__builtins__",
  "__builtin__",
  "builtins",
  "__subclasses__",
  "__globals__",
  "func_globals",
  "f_globals",
  "f_builtins",
  "f_back",
  "_getframe",
  "__mro__",
  "__bases__",
  "__base__",
  "__getattribute__",
  "__loader__",
  "__spec__",
];
/** Lookups by a name (`getattr(m, n)`, `vars(m)[n]`, `m.__dict__[n]`, `sys.modules[n]`). */
const NAME_LOOKUPS = ["getattr", "__dict__", "vars", "globals", "locals", "attrgetter", "methodcaller", "modules"];
/** Operations that build or decode a string at run time. */
const NAME_BUILDERS = [
  "join",
  "fromhex",
  "decode",
  "b64decode",
  "b32decode",
  "b16decode",
  "a85decode",
  "b85decode",
  "urlsafe_b64decode",
  "unhexlify",
  "decompress",
  "chr",
  "reversed",
  "format",
  "replace",
  "translate",
];
const NATIVE = [
  "CDLL",
  "LoadLibrary",
  "WinDLL",
  "PyDLL",
  "OleDLL",
  "cdll",
  "windll",
  "load_library",
  "dlopen",
  "add_dll_directory",
];

/**
 * Judges Python bytecode (Keras Lambda layers) by the names it uses: co_names, co_varnames and
 * string constants, split into identifiers so `"os.system"` counts as `os` and `system`. Only
 * combinations that mean a call fire: a lone `system` string is not enough, `os` with `system` is.
 */
export function analyzeBytecodeNames(names: readonly string[], text: string): CodeIssue[] {
  const tokens = new Set<string>();
  const sources = names.length > 0 ? names : [text];
  for (const name of sources.slice(0, 10_000)) {
    for (const token of name.slice(0, 4096).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) tokens.add(token);
  }
  const has = (token: string) => tokens.has(token);
  const any = (list: readonly string[]) => list.filter(has);
  const issues: CodeIssue[] = [];
  const report = (
    rule: CodeIssue["rule"],
    messageId: string,
    severity: CodeIssue["severity"],
    used: string[],
    reason: string,
  ) => {
    const evidence = [...new Set(used)].join(", ");
    issues.push({ rule, messageId, severity, data: { names: evidence, reason }, evidence });
  };

  const importers = any(IMPORTERS);
  const osModules = any(OS_MODULES);
  const osCalls = [...tokens].filter((token) => OS_PROCESS.test(token));
  if (osCalls.length > 0 && (osModules.length > 0 || importers.length > 0)) {
    report(
      "dangerous-call",
      "bytecodeNames",
      "critical",
      [...importers, ...osModules, ...osCalls],
      "runs a system command",
    );
  }
  const subprocessCalls = any(SUBPROCESS_CALLS);
  if (has("subprocess") || has("pty")) {
    if (subprocessCalls.length > 0 || has("spawn")) {
      report(
        "dangerous-call",
        "bytecodeNames",
        "critical",
        ["subprocess", "pty", ...subprocessCalls, "spawn"].filter(has),
        "starts a process",
      );
    } else {
      report("dangerous-import", "bytecodeImport", "warning", any(["subprocess", "pty"]), "a process module");
    }
  }
  const internals = any(INTERNALS);
  const lookups = any(NAME_LOOKUPS);
  const builders = any(NAME_BUILDERS);
  if (internals.length > 0) {
    report(
      "dangerous-call",
      "bytecodeNames",
      "critical",
      [...internals, ...lookups, ...builders, ...importers],
      "reaches the interpreter's builtins, globals or class hierarchy, the route to os and eval without naming them",
    );
  } else if (lookups.length > 0 && (builders.length > 0 || importers.length > 0)) {
    report(
      "dangerous-call",
      "bytecodeNames",
      "critical",
      [...lookups, ...builders, ...importers],
      "looks up a function or module by a name built at run time",
    );
  } else if (importers.some((name) => name === "__import__" || name === "import_module") && builders.length > 0) {
    report(
      "dangerous-call",
      "bytecodeNames",
      "critical",
      [...importers, ...builders],
      "imports a module whose name is built at run time",
    );
  }
  const dynamic = any(DYNAMIC_CODE);
  if (dynamic.length > 0)
    report("dangerous-call", "bytecodeNames", "critical", dynamic, "executes code built at run time");
  if (has("socket")) {
    const calls = any(SOCKET_CALLS).filter((token) => token !== "socket");
    if (calls.length > 0 || importers.length > 0) {
      report(
        "dangerous-call",
        "bytecodeNames",
        "critical",
        ["socket", ...calls, ...importers],
        "opens a network connection",
      );
    } else {
      report("dangerous-import", "bytecodeImport", "warning", ["socket"], "a raw network module");
    }
  }
  const network = any(NETWORK_MODULES);
  if (
    network.length > 0 &&
    (importers.length > 0 || any(["get", "post", "put", "urlopen", "request", "urlretrieve"]).length > 0)
  ) {
    report("dangerous-call", "bytecodeNames", "critical", [...network, ...importers], "talks to the network");
  }
  if (has("open") && any(["write", "writelines"]).length > 0) {
    report("dangerous-call", "bytecodeNames", "critical", ["open", ...any(["write", "writelines"])], "writes a file");
  }
  const native = any(NATIVE);
  if (native.length > 0 && (has("ctypes") || has("torch") || has("cffi") || importers.length > 0 || has("os"))) {
    report(
      "native-library-load",
      "bytecodeNames",
      "critical",
      [...any(["ctypes", "cffi", "torch"]), ...native],
      "loads a native library",
    );
  }
  if (issues.length === 0 && importers.some((name) => name === "__import__" || name === "import_module")) {
    report("dangerous-call", "bytecodeNames", "warning", importers, "imports a module by name at run time");
  }
  return issues;
}

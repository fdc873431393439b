import { resolvedTokens } from "./torchscript-getattr.js";
import type { Token } from "./torchscript-tokenizer.js";

/** `torch.ops.<namespace>.<op>` / `ops.<namespace>.<op>`, or a TorchBind class `torch.classes.<namespace>.<cls>`. */
export interface OperatorUse {
  kind: "operator" | "class";
  namespace: string;
  name: string;
  /** The dotted name as written, e.g. `torch.ops.my_ns.evil_op.default`. */
  qualifiedName: string;
  line: number;
  column: number;
}

/** A call that loads a native library, with its first argument when that is a string literal. */
export interface LibraryLoad {
  callee: string;
  /** Null when the argument is not a literal (a variable, a concatenation). */
  path: string | null;
  line: number;
  column: number;
}

export interface TorchScriptUses {
  operators: OperatorUse[];
  loads: LibraryLoad[];
}

/** Dotted callees that load a shared library into the process. */
const LOADERS = new Set([
  "torch.ops.load_library",
  "ops.load_library",
  "torch.classes.load_library",
  "classes.load_library",
  "ctypes.CDLL",
  "ctypes.cdll.LoadLibrary",
  "ctypes.PyDLL",
  "ctypes.pydll.LoadLibrary",
  "ctypes.WinDLL",
  "ctypes.windll.LoadLibrary",
  "ctypes.OleDLL",
  "CDLL",
]);

/** Dotted names longer than this are not followed (no TorchScript name comes close). */
const MAX_CHAIN = 64;

/** Every operator namespace, TorchBind class and library load the code text names. Never executes anything. */
export function findUses(text: string, onProgress?: () => void): TorchScriptUses {
  const uses: TorchScriptUses = { operators: [], loads: [] };
  const tokens = resolvedTokens(text, onProgress);
  let previous: Token | undefined;
  let pending: Token | undefined = tokens.next().value ?? undefined;
  while (pending) {
    const first = pending;
    pending = tokens.next().value ?? undefined;
    // A chain starts at a name not preceded by "." (so `self.ops.x.y` is not `ops.x.y`).
    if (first.kind !== "name" || (previous?.kind === "punct" && previous.value === ".")) {
      previous = first;
      continue;
    }
    const chain = [first.value];
    let last: Token = first;
    while (pending?.kind === "punct" && pending.value === "." && chain.length < MAX_CHAIN) {
      const dot: Token = pending;
      const after: Token | undefined = tokens.next().value ?? undefined;
      if (after?.kind !== "name") {
        previous = dot;
        pending = after;
        last = dot;
        break;
      }
      chain.push(after.value);
      last = after;
      pending = tokens.next().value ?? undefined;
    }
    previous = last;
    const qualifiedName = chain.join(".");
    if (LOADERS.has(qualifiedName) && pending?.kind === "punct" && pending.value === "(") {
      const argument: Token | undefined = tokens.next().value ?? undefined;
      uses.loads.push({
        callee: qualifiedName,
        path: argument?.kind === "string" ? argument.value : null,
        line: first.line,
        column: first.column,
      });
      previous = pending;
      pending = argument;
      continue;
    }
    const use = operatorUse(chain);
    if (use) uses.operators.push({ ...use, qualifiedName, line: first.line, column: first.column });
  }
  return uses;
}

export function operatorUse(chain: readonly string[]): Pick<OperatorUse, "kind" | "namespace" | "name"> | null {
  // `__torch__.torch.classes.ns.Cls` is how TorchScript types name TorchBind classes.
  const start = chain[0] === "__torch__" ? 1 : 0;
  let index = start;
  if (chain[index] === "torch") index++;
  const root = chain[index];
  if (root !== "ops" && root !== "classes") return null;
  // A bare `ops.x.y`/`classes.x.y` only counts at the start of the chain (the printed form TorchScript uses).
  if (root === "classes" && index === start) return null;
  const namespace = chain[index + 1];
  const name = chain[index + 2];
  if (!namespace || !name || namespace === "load_library") return null;
  // `ops.<ns>.autograd.<op>` is `aten::<op>` to the loader (any builtin module's `autograd` is aten's):
  // the call is resolved with the other builtin spellings (torchscript-resolve.ts).
  if (root === "ops" && name === "autograd") return null;
  return { kind: root === "ops" ? "operator" : "class", namespace, name };
}

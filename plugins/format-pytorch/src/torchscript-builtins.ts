import { resolvedTokens } from "./torchscript-getattr.js";
import { collectBindings, resolveChain } from "./torchscript-resolve.js";
import type { Token } from "./torchscript-tokenizer.js";
import { operatorUse } from "./torchscript-uses.js";

/**
 * A call of a TorchScript builtin operator: `torch.<name>(...)` as the serializer prints it (the
 * ATen operator `aten::<name>`), and every other spelling the loader's resolver reads as an operator:
 * `torch.autograd.save`, `ops.prim.autograd.save`, or a local alias (`f = torch.save; f(...)`,
 * `g = torch.autograd; g.save(...)`). See torchscript-resolve.ts.
 */
export interface BuiltinCall {
  /** The operator's namespace (`aten` for `torch.<name>`) and name. */
  namespace: string;
  name: string;
  /** The callee as written (`torch.autograd.save`, `f`). */
  written: string;
  /**
   * True when the callee is written `ops.<ns>.<op>`/`torch.ops.<ns>.<op>`, which findUses reports as an
   * operator use already.
   */
  direct: boolean;
  /** String literal arguments by position (`"0"`, `"1"`, ...) or keyword. */
  literals: Record<string, string>;
  line: number;
  column: number;
}

/**
 * ATen operators with file-name arguments, from their schemas: `from_file(str filename, bool?
 * shared, int? size, ...)`, `save(t item, str filename)`. A literal there is a file the model opens.
 */
export const FILE_ARGUMENTS: ReadonlyMap<string, { position: string; keyword: string }> = new Map([
  ["from_file", { position: "0", keyword: "filename" }],
  ["save", { position: "1", keyword: "filename" }],
]);

/** String literals that look like file paths or file URLs. */
const PATH_LIKE = /^(\/|\.{1,2}[\\/]|~|file:|[A-Za-z]:[\\/])/;
const MAX_PATH_LITERALS = 256;
const MAX_PATH_LENGTH = 4096;

export interface BuiltinCalls {
  calls: BuiltinCall[];
  /** Path-like string literals anywhere in the text: candidates for a file argument passed in by a caller. */
  pathLiterals: string[];
}

/** Arguments followed per call; no builtin call TorchScript prints comes close. */
const MAX_ARGUMENT_TOKENS = 512;

interface OpenCall {
  call: BuiltinCall;
  /** Parenthesis depth just inside the call's own parentheses. */
  depth: number;
  argument: number;
  /** Tokens of the current argument, up to a few: a lone string (or `keyword = string`) is a literal. */
  tokens: Token[];
  seen: number;
}

/**
 * Every call the loader resolves to a builtin operator (not `x.torch.y(`, not `torch.a.b(`), with its
 * literal string arguments, and those passed on uncalled. Two passes over the tokens: the member's local
 * aliases, then the calls.
 */
export function findBuiltinCalls(text: string, onProgress?: () => void): BuiltinCalls {
  const bindings = collectBindings(text, onProgress);
  const calls: BuiltinCall[] = [];
  const pathLiterals = new Set<string>();
  const open: OpenCall[] = [];
  let depth = 0;
  let previous: Token | undefined;
  // The dotted name ending at the previous token (null when that token ends none), and the one a `)` closed.
  let chain: Token[] | null = null;
  let chainAfterOpen = false;
  let wrapped: Token[] | null = null;
  // A builtin named as an argument but not called there is passed on: `fork(torch.save, x, path)`
  // runs aten::save (builtins are no values, so fork's function is the only argument the loader takes).
  const passed = (callee: Token[], next: Token) => {
    if (isPunctToken(next, ",") || isPunctToken(next, ")")) calls.push(...operatorCalls(callee, bindings));
  };
  for (const token of resolvedTokens(text, onProgress)) {
    const callee = isPunctToken(token, "(") ? (chain ?? wrapped) : null;
    if (wrapped && !callee) passed(wrapped, token);
    wrapped = null;
    if (token.kind === "name") {
      if (chain && isPunctToken(previous, ".")) {
        if (chain.length < MAX_CHAIN) chain.push(token);
        else chain = null;
      } else if (!isPunctToken(previous, ".")) {
        chainAfterOpen = isPunctToken(previous, "(");
        chain = [token];
      } else {
        chain = null;
      }
    } else if (!(isPunctToken(token, ".") && chain)) {
      if (isPunctToken(token, ")") && chain && chainAfterOpen) wrapped = chain;
      else if (chain) passed(chain, token);
      chain = null;
    }
    previous = token;
    if (
      token.kind === "string" &&
      pathLiterals.size < MAX_PATH_LITERALS &&
      token.value.length <= MAX_PATH_LENGTH &&
      PATH_LIKE.test(token.value)
    ) {
      pathLiterals.add(token.value);
    }
    const current = open.at(-1);
    if (current && ++current.seen > MAX_ARGUMENT_TOKENS) open.pop();
    if (token.kind === "punct" && (token.value === "(" || token.value === "[" || token.value === "{")) {
      depth++;
      const started = callee ? operatorCalls(callee, bindings) : [];
      for (const call of started) {
        calls.push(call);
        open.push({ call, depth, argument: 0, tokens: [], seen: 0 });
      }
      if (started.length > 0) continue;
    } else if (token.kind === "punct" && (token.value === ")" || token.value === "]" || token.value === "}")) {
      while (open.at(-1)?.depth === depth) {
        closeArgument(open.pop() as OpenCall);
      }
      depth = Math.max(0, depth - 1);
      continue;
    } else if (current && depth === current.depth && token.kind === "punct" && token.value === ",") {
      for (const same of open.filter((item) => item.depth === depth)) {
        closeArgument(same);
        same.argument++;
        same.tokens = [];
      }
      continue;
    }
    if (current && depth === current.depth) {
      for (const same of open.filter((item) => item.depth === depth)) {
        if (same.tokens.length < 4) same.tokens.push(token);
      }
    }
  }
  return { calls, pathLiterals: [...pathLiterals] };
}

const MAX_CHAIN = 64;

const isPunctToken = (token: Token | undefined, value: string) => token?.kind === "punct" && token.value === value;

/** The operators a callee may be (one per alias target), as calls waiting for their arguments. */
function operatorCalls(callee: readonly Token[], bindings: ReturnType<typeof collectBindings>): BuiltinCall[] {
  const names = callee.map((token) => token.value);
  const first = callee[0] as Token;
  const written = names.join(".");
  const use = operatorUse(names);
  const calls: BuiltinCall[] = [];
  for (const value of resolveChain(names, bindings)) {
    if (value.kind !== "operator") continue;
    const direct = use?.kind === "operator" && use.namespace === value.namespace && use.name === value.name;
    calls.push({
      namespace: value.namespace,
      name: value.name,
      written,
      direct,
      literals: {},
      line: first.line,
      column: first.column,
    });
  }
  return calls;
}

function closeArgument(open: OpenCall): void {
  const [first, second, third] = open.tokens;
  if (open.tokens.length === 1 && first?.kind === "string") {
    open.call.literals[String(open.argument)] = first.value;
  } else if (
    open.tokens.length === 3 &&
    first?.kind === "name" &&
    second?.kind === "punct" &&
    second.value === "=" &&
    third?.kind === "string"
  ) {
    open.call.literals[first.value] = third.value;
  }
}

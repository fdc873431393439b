import { type Token, tokenize } from "./torchscript-tokenizer.js";

/**
 * A call of a TorchScript builtin as the serializer prints it, `torch.<name>(...)`: TorchScript
 * resolves it to the ATen operator `aten::<name>` (e.g. `torch.from_file` is `aten::from_file`).
 */
export interface BuiltinCall {
  name: string;
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

/** Every `torch.<name>(` call (not `x.torch.y`, not `torch.a.b`), with its literal string arguments. */
export function findBuiltinCalls(text: string, onProgress?: () => void): BuiltinCalls {
  const calls: BuiltinCall[] = [];
  const pathLiterals = new Set<string>();
  const open: OpenCall[] = [];
  const window: Token[] = []; // the last five tokens
  let depth = 0;
  for (const token of tokenize(text, onProgress)) {
    if (
      token.kind === "string" &&
      pathLiterals.size < MAX_PATH_LITERALS &&
      token.value.length <= MAX_PATH_LENGTH &&
      PATH_LIKE.test(token.value)
    ) {
      pathLiterals.add(token.value);
    }
    window.push(token);
    if (window.length > 5) window.shift();
    const current = open.at(-1);
    if (current && ++current.seen > MAX_ARGUMENT_TOKENS) open.pop();
    if (token.kind === "punct" && (token.value === "(" || token.value === "[" || token.value === "{")) {
      const started = builtinStart(window);
      depth++;
      if (started) {
        const call: BuiltinCall = { name: started.value, literals: {}, line: started.line, column: started.column };
        calls.push(call);
        open.push({ call, depth, argument: 0, tokens: [], seen: 0 });
        continue;
      }
    } else if (token.kind === "punct" && (token.value === ")" || token.value === "]" || token.value === "}")) {
      if (current && depth === current.depth) {
        closeArgument(current);
        open.pop();
      }
      depth = Math.max(0, depth - 1);
      continue;
    } else if (current && depth === current.depth && token.kind === "punct" && token.value === ",") {
      closeArgument(current);
      current.argument++;
      current.tokens = [];
      continue;
    }
    if (current && depth === current.depth && current.tokens.length < 4) current.tokens.push(token);
  }
  return { calls, pathLiterals: [...pathLiterals] };
}

/** `torch . name (` with no `.` before `torch`: the name token, or undefined. `window` ends at the `(`. */
function builtinStart(window: readonly Token[]): Token | undefined {
  const at = (offset: number) => window[window.length - offset];
  const [before, torch, dot, name] = [at(5), at(4), at(3), at(2)];
  if (before?.kind === "punct" && before.value === ".") return undefined;
  if (torch?.kind !== "name" || torch.value !== "torch") return undefined;
  if (dot?.kind !== "punct" || dot.value !== ".") return undefined;
  return name?.kind === "name" ? name : undefined;
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

import { resolvedTokens } from "./torchscript-getattr.js";
import type { Token } from "./torchscript-tokenizer.js";

/**
 * What a dotted name means to the resolver torch.jit.load compiles `code/` sources with (the
 * SourceImporter's, not Python's): `torch` is the builtin module of the `aten` namespace, `ops` the
 * operator namespaces, and any builtin module's `autograd` is the `aten` module again. So
 * `torch.autograd.save`, `ops.prim.autograd.save` and `ops.aten.save` are all `aten::save`. A name
 * under an operator (`torch.save.x`, `torch.nn.functional.relu`) is rejected at load ("attribute
 * lookup is not defined on builtin"), so it means nothing here.
 */
export type Resolved =
  | { kind: "module"; namespace: string }
  | { kind: "ops" }
  | { kind: "operator"; namespace: string; name: string };

/** The chains assigned to each local name (`f = torch.save`, `g = (torch.autograd)`), anywhere in the member. */
export type Bindings = ReadonlyMap<string, readonly (readonly string[])[]>;

const MAX_CHAIN = 64;
const MAX_STATEMENT_TOKENS = 256;
const MAX_BINDINGS = 4096;
const MAX_DEPTH = 16;
const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);

/** True when `token` starts a function: `def` not written as an attribute. */
export function isDef(token: Token, previous: Token | undefined): boolean {
  return token.kind === "name" && token.value === "def" && !(previous?.kind === "punct" && previous.value === ".");
}

/**
 * Every `name = <dotted name>` assignment of the member. Flow-insensitive and may-alias: every chain a
 * name is ever given is one it may hold at any call through it, whatever the branch or order
 * (TorchScript drops the branches of `if True:` at compile time, so either may be the one that stays),
 * and whatever the function: a nested `def` (the printer writes one for each `fork`) sees the locals
 * of the function around it, and which function a line belongs to is its indentation, which a
 * backslash continuation can make anything. torch never binds a builtin to a name when it prints code,
 * so only written-by-hand code has bindings to follow.
 */
export function collectBindings(text: string, onProgress?: () => void): Bindings {
  const bindings = new Map<string, string[][]>();
  let count = 0;
  let depth = 0;
  let statement: Token[] = [];
  let overflow = false;
  let previous: Token | undefined;
  const flush = () => {
    if (!overflow && count < MAX_BINDINGS) count += bindStatement(statement, bindings);
    statement = [];
    overflow = false;
  };
  for (const token of resolvedTokens(text, onProgress)) {
    // A statement ends at a line break outside brackets, or at `;`.
    const last = statement.at(-1);
    if (depth === 0 && last && token.line > last.line) flush();
    if (isDef(token, previous)) flush();
    previous = token;
    if (token.kind === "punct" && OPEN.has(token.value)) depth++;
    else if (token.kind === "punct" && CLOSE.has(token.value)) depth = Math.max(0, depth - 1);
    if (depth === 0 && token.kind === "punct" && token.value === ";") {
      flush();
      continue;
    }
    if (statement.length < MAX_STATEMENT_TOKENS) statement.push(token);
    else overflow = true;
  }
  flush();
  return bindings;
}

const isPunct = (token: Token | undefined, value: string) => token?.kind === "punct" && token.value === value;

/** Binds the targets of `a = b = <chain>` (after a `...:` header on the same line); returns how many. */
function bindStatement(tokens: Token[], bindings: Map<string, string[][]>): number {
  // `if c: f = torch.save`, `else: f = torch.add`: the assignment follows the last top-level `:`.
  let start = 0;
  let depth = 0;
  const parts: Token[][] = [[]];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.kind === "punct" && OPEN.has(token.value)) depth++;
    else if (token.kind === "punct" && CLOSE.has(token.value)) depth = Math.max(0, depth - 1);
    if (depth > 0) {
      parts.at(-1)?.push(token);
      continue;
    }
    if (isPunct(token, ":") && !isPunct(tokens[index + 1], "=")) {
      start = parts.length;
      parts.push([]);
      continue;
    }
    // A lone `=` (not `==`, `<=`, `+=`, ...) or the walrus `:=`.
    const single =
      isPunct(token, "=") &&
      !isPunct(tokens[index + 1], "=") &&
      !(tokens[index - 1]?.kind === "punct" && /^[=!<>+\-*/%&|^@~:]$/.test(tokens[index - 1]!.value));
    if (single) {
      parts.push([]);
      continue;
    }
    if (isPunct(token, ":") && isPunct(tokens[index + 1], "=")) {
      parts.push([]);
      index++;
      continue;
    }
    parts.at(-1)?.push(token);
  }
  const assignment = parts.slice(start);
  if (assignment.length < 2) return 0;
  const chain = dottedName(assignment.at(-1) as Token[]);
  if (!chain) return 0;
  let bound = 0;
  for (const target of assignment.slice(0, -1)) {
    const [name, extra] = target;
    if (name?.kind !== "name" || extra) continue;
    const chains = bindings.get(name.value) ?? [];
    chains.push(chain);
    bindings.set(name.value, chains);
    bound++;
  }
  return bound;
}

/** `a.b.c`, or the same in parentheses: the names, or undefined for any other expression. */
function dottedName(tokens: readonly Token[]): string[] | undefined {
  let from = 0;
  let to = tokens.length;
  while (to - from >= 2 && isPunct(tokens[from], "(") && isPunct(tokens[to - 1], ")")) {
    from++;
    to--;
  }
  const chain: string[] = [];
  for (let index = from; index < to; index++) {
    const token = tokens[index] as Token;
    if ((index - from) % 2 === 0) {
      if (token.kind !== "name") return undefined;
      chain.push(token.value);
    } else if (!isPunct(token, ".")) {
      return undefined;
    }
  }
  return chain.length > 0 && chain.length <= MAX_CHAIN && (to - from) % 2 === 1 ? chain : undefined;
}

/** Everything a dotted name may be, through the member's local aliases. */
export function resolveChain(chain: readonly string[], bindings: Bindings): Resolved[] {
  const results = new Map<string, Resolved>();
  for (const value of resolve(chain, bindings, 0, new Set())) results.set(key(value), value);
  return [...results.values()];
}

function key(value: Resolved): string {
  return value.kind === "operator"
    ? `${value.namespace}::${value.name}`
    : `${value.kind}:${"namespace" in value ? value.namespace : ""}`;
}

function resolve(
  chain: readonly string[],
  names: ReadonlyMap<string, readonly (readonly string[])[]> | undefined,
  depth: number,
  visiting: Set<string>,
): Resolved[] {
  const [root, ...rest] = chain;
  if (root === undefined || depth > MAX_DEPTH) return [];
  let values: Resolved[] = [];
  // The global meaning stays a candidate even where a local of that name exists: over-reading is safe.
  if (root === "torch") values.push({ kind: "module", namespace: "aten" });
  else if (root === "ops") values.push({ kind: "ops" });
  const aliases = names?.get(root);
  if (aliases && !visiting.has(root)) {
    visiting.add(root);
    for (const alias of aliases) values.push(...resolve(alias, names, depth + 1, visiting));
    visiting.delete(root);
  }
  for (const part of rest) {
    values = values.flatMap((value) => attribute(value, part));
    if (values.length === 0) break;
  }
  return values;
}

function attribute(value: Resolved, part: string): Resolved[] {
  switch (value.kind) {
    case "ops":
      return part === "load_library" ? [] : [{ kind: "module", namespace: part }];
    case "module":
      if (part === "autograd") return [{ kind: "module", namespace: "aten" }];
      // The loader refuses `torch.ops`; Python's resolver (torch.jit.script) accepts it. Read it too.
      if (part === "ops" && value.namespace === "aten") return [{ kind: "ops" }];
      return [{ kind: "operator", namespace: value.namespace, name: part }];
    default:
      return [];
  }
}

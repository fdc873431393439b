import { type Token, tokenize } from "./torchscript-tokenizer.js";

/** Tokens captured for one `getattr(...)` call; longer calls are passed on as written. */
const MAX_GETATTR_TOKENS = 512;

const isPunct = (token: Token | undefined, value: string) => token?.kind === "punct" && token.value === value;
const isGetattr = (token: Token | undefined, previous: Token | undefined) =>
  token?.kind === "name" && token.value === "getattr" && !isPunct(previous, ".");

/**
 * The tokens of TorchScript code with `getattr(<dotted name>, "<literal>")` read as `<dotted
 * name>.<literal>`: the loader's compiler takes getattr with a string literal as the attribute lookup
 * itself (`getattr(torch, "save")` is `torch.save`, `getattr(getattr(ops, "aten"), "from_file")` is
 * `ops.aten.from_file`), and adjacent literals are one string (`"sa" "ve"`).
 */
export function* resolvedTokens(text: string, onProgress?: () => void): Generator<Token> {
  const tokens = tokenize(text, onProgress);
  let previous: Token | undefined;
  let next = tokens.next();
  while (!next.done) {
    const token = next.value;
    next = tokens.next();
    if (!isGetattr(token, previous) || !isPunct(next.value, "(")) {
      previous = token;
      yield token;
      continue;
    }
    // Capture the call up to its closing parenthesis, then fold it (and any getattr nested in it).
    const captured: Token[] = [token];
    let depth = 0;
    while (!next.done && captured.length < MAX_GETATTR_TOKENS) {
      const inner = next.value;
      captured.push(inner);
      next = tokens.next();
      if (inner.kind === "punct" && "([{".includes(inner.value)) depth++;
      else if (inner.kind === "punct" && ")]}".includes(inner.value) && --depth === 0) break;
    }
    const folded = fold(captured, previous);
    yield* folded;
    previous = folded.at(-1);
  }
}

/** The tokens with every complete `getattr(<dotted name>, "<literal>"[, default])` replaced by the lookup. */
function fold(tokens: readonly Token[], before: Token | undefined): Token[] {
  const out: Token[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    const previous = index > 0 ? out.at(-1) : before;
    const close = isGetattr(token, previous) && isPunct(tokens[index + 1], "(") ? closing(tokens, index + 1) : -1;
    if (close < 0) {
      out.push(token);
      index++;
      continue;
    }
    const inner = fold(tokens.slice(index + 2, close), tokens[index + 1]);
    const lookup = attributeLookup(inner);
    if (lookup) out.push(...lookup);
    else out.push(token, tokens[index + 1] as Token, ...inner, tokens[close] as Token);
    index = close + 1;
  }
  return out;
}

/** Index of the bracket closing the one at `open`, or -1 when the tokens end first. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.kind !== "punct") continue;
    if ("([{".includes(token.value)) depth++;
    else if (")]}".includes(token.value) && --depth === 0) return index;
  }
  return -1;
}

/** `<dotted name>, "<literal>"` (a default may follow): the tokens of `<dotted name>.<literal>`. */
function attributeLookup(args: readonly Token[]): Token[] | undefined {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of args) {
    if (token.kind === "punct" && "([{".includes(token.value)) depth++;
    else if (token.kind === "punct" && ")]}".includes(token.value)) depth--;
    if (depth === 0 && isPunct(token, ",")) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  const [object, selector] = parts;
  if (!object || !selector || parts.length > 3 || selector.length !== 1 || selector[0]?.kind !== "string")
    return undefined;
  let from = 0;
  let to = object.length;
  while (to - from >= 2 && isPunct(object[from], "(") && isPunct(object[to - 1], ")")) {
    from++;
    to--;
  }
  const chain = object.slice(from, to);
  const dotted =
    chain.length % 2 === 1 &&
    chain.every((token, position) => (position % 2 === 0 ? token.kind === "name" : isPunct(token, ".")));
  if (!dotted) return undefined;
  const name = selector[0];
  return [...chain, { kind: "punct", value: ".", line: name.line, column: name.column }, { ...name, kind: "name" }];
}

/**
 * A small, bounded reading of Python (and TorchScript) source: enough structure for the crypto
 * checks (statements, their indentation and enclosing function, call arguments, literal values)
 * without a parser. Comments are dropped so commented-out code never counts; string contents are
 * kept because keys are written in them.
 */

/** Most source characters analysed; larger code is read up to here (the detector says so). */
export const MAX_SOURCE_CHARS = 4 * 1024 * 1024;
/** A logical line longer than this is cut (minified or generated code). */
const MAX_STATEMENT_CHARS = 8 * 1024;
/** Physical lines joined into one statement at most (open brackets). */
const MAX_JOINED_LINES = 40;

export interface Statement {
  /** The statement with comments removed and continuation lines joined by a space. */
  text: string;
  /** 1-based line of its first physical line. */
  line: number;
  indent: number;
  /** Index into `functions` of the innermost enclosing `def`, or -1 at module (or class) level. */
  scope: number;
}

export interface FunctionScope {
  name: string;
  line: number;
  indent: number;
  /** Statement index range of its body: [first, end). */
  first: number;
  end: number;
  /** Enclosing function's index, or -1. */
  parent: number;
}

export interface PythonSource {
  statements: Statement[];
  functions: FunctionScope[];
  /** True when the text was longer than MAX_SOURCE_CHARS and only its start was read. */
  truncated: boolean;
}

/** Splits source into logical statements with their scopes. Linear in the text; never throws. */
export function readPython(source: string): PythonSource {
  const truncated = source.length > MAX_SOURCE_CHARS;
  const text = truncated ? source.slice(0, MAX_SOURCE_CHARS) : source;
  const physical = stripComments(text).split("\n");
  const statements: Statement[] = [];
  const functions: FunctionScope[] = [];
  const open: number[] = [];
  for (let index = 0; index < physical.length; index++) {
    const first = physical[index] as string;
    if (first.trim() === "") continue;
    let joined = first;
    let depth = bracketDepth(first);
    const line = index + 1;
    let joinedLines = 1;
    while ((depth > 0 || joined.endsWith("\\")) && index + 1 < physical.length && joinedLines < MAX_JOINED_LINES) {
      index++;
      joinedLines++;
      const next = physical[index] as string;
      joined = `${joined.endsWith("\\") ? joined.slice(0, -1) : joined} ${next.trim()}`;
      depth += bracketDepth(next);
    }
    const indent = first.length - first.trimStart().length;
    // Close the functions this statement is no longer inside.
    while (open.length > 0 && (functions[open.at(-1) as number] as FunctionScope).indent >= indent) {
      (functions[open.pop() as number] as FunctionScope).end = statements.length;
    }
    const scope = open.length > 0 ? (open.at(-1) as number) : -1;
    const body = joined.trim();
    statements.push({ text: body.slice(0, MAX_STATEMENT_CHARS), line, indent, scope });
    const definition = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(body);
    if (definition) {
      functions.push({
        name: definition[1] as string,
        line,
        indent,
        first: statements.length,
        end: Number.MAX_SAFE_INTEGER,
        parent: scope,
      });
      open.push(functions.length - 1);
    }
  }
  for (const index of open) (functions[index] as FunctionScope).end = statements.length;
  return { statements, functions, truncated };
}

/** True when statement `index` lies inside function `scope` (or any function nested in it). */
export function inScope(source: PythonSource, statement: number, scope: number): boolean {
  if (scope === -1) return true;
  const fn = source.functions[scope] as FunctionScope;
  return statement >= fn.first && statement < fn.end;
}

/** Names of the functions enclosing a statement, innermost first. */
export function enclosingNames(source: PythonSource, statement: Statement): string[] {
  const names: string[] = [];
  for (let scope = statement.scope; scope !== -1 && names.length < 16; ) {
    const fn = source.functions[scope] as FunctionScope;
    names.push(fn.name);
    scope = fn.parent;
  }
  return names;
}

/** Replaces `#` comments with nothing, leaving string literals (including triple-quoted ones) intact. */
export function stripComments(text: string): string {
  let output = "";
  let start = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === "#") {
      output += text.slice(start, index);
      const end = text.indexOf("\n", index);
      index = end === -1 ? text.length : end;
      start = index;
      continue;
    }
    if (char === '"' || char === "'") {
      index = skipString(text, index);
      continue;
    }
    index++;
  }
  return output + text.slice(start);
}

/** Index just after the string literal starting with the quote at `index`. */
function skipString(text: string, index: number): number {
  const quote = text[index] as string;
  const triple = text.startsWith(quote.repeat(3), index);
  const close = triple ? quote.repeat(3) : quote;
  let position = index + close.length;
  while (position < text.length) {
    const char = text[position];
    if (char === "\\") {
      position += 2;
      continue;
    }
    if (!triple && char === "\n") return position;
    if (text.startsWith(close, position)) return position + close.length;
    position++;
  }
  return text.length;
}

/** Net open brackets on a line, ignoring those inside strings. */
function bracketDepth(line: string): number {
  let depth = 0;
  for (let index = 0; index < line.length; ) {
    const char = line[index] as string;
    if (char === '"' || char === "'") {
      index = skipString(line, index);
      continue;
    }
    if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") depth--;
    index++;
  }
  return depth;
}

/** The arguments of the call whose `(` is at `open`: positional and keyword, split at top-level commas. */
export interface CallArguments {
  positional: string[];
  keywords: Map<string, string>;
}

/** Splits the argument list after `text[open] === "("`; null when the call is not closed. */
export function callArguments(text: string, open: number): CallArguments | null {
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let index = open; index < text.length; ) {
    const char = text[index] as string;
    if (char === '"' || char === "'") {
      index = skipString(text, index);
      continue;
    }
    if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") {
      depth--;
      if (depth === 0) {
        parts.push(text.slice(start, index));
        return splitArguments(parts[0]?.trim() === "" && parts.length === 1 ? [] : parts);
      }
    } else if (char === "," && depth === 1) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
    index++;
  }
  return null;
}

function splitArguments(parts: string[]): CallArguments {
  const positional: string[] = [];
  const keywords = new Map<string, string>();
  for (const raw of parts) {
    const part = raw.trim();
    if (part === "") continue;
    const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(part);
    if (keyword) keywords.set(keyword[1] as string, (keyword[2] as string).trim());
    else positional.push(part);
  }
  return { positional, keywords };
}

/** A constant value written in the source: its bytes' length and a short rendering for evidence. */
export interface Literal {
  /** Length in bytes of the value the expression produces (characters for str literals). */
  length: number;
  /** The literal's contents as written, without prefix and quotes. */
  written: string;
}

const STRING_LITERAL = /^([rRbBuU]{0,2})("""|'''|"|')([\s\S]*)\2$/;
const WRAPPED =
  /^(?:bytes\.fromhex|binascii\.(?:unhexlify|a2b_hex)|(?:base64\.)?(?:b64decode|urlsafe_b64decode|b32decode|b16decode)|codecs\.decode)\s*\(\s*([\s\S]+?)\s*(?:,[^()]*)?\)$/;

/**
 * Evaluates a constant key-like expression: a str or bytes literal (optionally `.encode()`d), a
 * literal passed through hex or base64 decoding, `b"\0" * 16`, `bytes(16)`, or `bytearray(...)` of
 * one. Null for anything computed at run time.
 */
export function literalValue(expression: string, depth = 0): Literal | null {
  const text = expression.trim().replace(/\.encode\(\s*(?:["'][\w-]*["'])?\s*\)$/, "");
  if (depth > 3 || text.length === 0) return null;
  const string = STRING_LITERAL.exec(text);
  if (string) {
    const prefix = (string[1] as string).toLowerCase();
    if (prefix.includes("f")) return null;
    const body = string[3] as string;
    const bytes = prefix.includes("b");
    const raw = prefix.includes("r");
    // A literal that holds an unescaped quote of its own kind is two literals joined: not one value.
    if ((string[2] as string).length === 1 && new RegExp(`(^|[^\\\\])${string[2]}`).test(body)) return null;
    return { length: raw ? body.length : escapedLength(body, bytes), written: body };
  }
  const wrapped = WRAPPED.exec(text);
  if (wrapped) {
    const inner = literalValue(wrapped[1] as string, depth + 1);
    if (!inner) return null;
    const name = text.slice(0, text.indexOf("(")).toLowerCase();
    const decoded = /hex|b16/.test(name)
      ? Math.floor(inner.written.replace(/\s/g, "").length / 2)
      : /b32/.test(name)
        ? Math.floor((inner.written.replace(/=+$/, "").length * 5) / 8)
        : /b64|codecs/.test(name)
          ? Math.floor((inner.written.replace(/[=\s]/g, "").length * 3) / 4)
          : inner.length;
    return { length: decoded, written: inner.written };
  }
  const repeated = /^([\s\S]+?)\s*\*\s*(\d{1,4})$/.exec(text) ?? /^(\d{1,4})\s*\*\s*([\s\S]+)$/.exec(text);
  if (repeated) {
    const [literalPart, countPart] = /^\d/.test(repeated[1] as string)
      ? [repeated[2] as string, repeated[1] as string]
      : [repeated[1] as string, repeated[2] as string];
    const inner = literalValue(literalPart, depth + 1);
    if (!inner) return null;
    const count = Number(countPart);
    return { length: inner.length * count, written: `${inner.written}×${count}` };
  }
  const zeros = /^(?:bytes|bytearray)\(\s*(\d{1,4})\s*\)$/.exec(text);
  if (zeros) return { length: Number(zeros[1]), written: `\\x00×${zeros[1]}` };
  const copy = /^(?:bytes|bytearray)\(\s*([\s\S]+)\s*\)$/.exec(text);
  if (copy) return literalValue(copy[1] as string, depth + 1);
  return null;
}

/** Length of a non-raw literal's value: `\xNN`, `\n`, `\\` count as one byte or character. */
function escapedLength(body: string, bytes: boolean): number {
  let length = 0;
  for (let index = 0; index < body.length; index++) {
    if (body[index] !== "\\") {
      length++;
      continue;
    }
    const next = body[index + 1];
    if (next === "\n") {
      index++;
      continue;
    }
    if (next === "x") index += 3;
    else if (!bytes && next === "u") index += 5;
    else if (!bytes && next === "U") index += 9;
    else if (next !== undefined && /[0-7]/.test(next)) {
      let digits = 1;
      while (digits < 3 && /[0-7]/.test(body[index + 1 + digits] ?? "")) digits++;
      index += digits;
    } else index++;
    length++;
  }
  return length;
}

/** An integer literal (`42`, `0x1234`, `1_000`), or null. */
export function integerLiteral(expression: string): string | null {
  const text = expression.trim();
  return /^-?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)$/.test(text) ? text : null;
}

/**
 * Constant bindings of a source (`NAME = <literal>` at any level), so `AES.new(KEY, ...)` is judged
 * by what KEY holds. The last binding of a name wins; a name bound twice to different kinds of value
 * is dropped (it is not a constant).
 */
export function constantBindings(source: PythonSource): Map<string, { literal?: Literal; integer?: string }> {
  const bindings = new Map<string, { literal?: Literal; integer?: string }>();
  const computed = new Set<string>();
  for (const statement of source.statements) {
    const assignment = /^((?:self\.)?[A-Za-z_]\w*)\s*(?::\s*[\w.[\], ]+)?=(?!=)\s*([\s\S]+)$/.exec(statement.text);
    if (!assignment) continue;
    const name = assignment[1] as string;
    const value = assignment[2] as string;
    const literal = literalValue(value);
    const integer = literal ? null : integerLiteral(value);
    if (literal) bindings.set(name, { literal });
    else if (integer !== null) bindings.set(name, { integer });
    else computed.add(name);
  }
  for (const name of computed) bindings.delete(name);
  return bindings;
}

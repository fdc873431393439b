/**
 * Escape sequences in template tags. @huggingface/jinja decodes `\xNN` and `\uNNNN`; Python's Jinja also
 * decodes `\NNN` octal, `\UNNNNNNNN`, `\N{NAME}` and `\a`, which the JavaScript parser rejects. Payloads
 * use them to spell `_` and letters so that no dunder appears in the text.
 */

export interface EscapeSequence {
  text: string;
  character: string;
  offset: number;
}

const ESCAPE_PATTERN =
  /\\(?:\\|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|N\{([A-Z0-9 -]{1,60})\}|a)/g;

/** Unicode names a payload might use, decoded for the characters that make identifiers. */
function characterFromName(name: string): string | undefined {
  if (name === "LOW LINE") return "_";
  if (name === "FULL STOP") return ".";
  const letter = /^LATIN (SMALL|CAPITAL) LETTER ([A-Z])$/.exec(name);
  if (letter?.[2]) return letter[1] === "SMALL" ? letter[2].toLowerCase() : letter[2];
  const digit = /^DIGIT (ZERO|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE)$/.exec(name);
  if (digit?.[1])
    return String(["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"].indexOf(digit[1]));
  return undefined;
}

function decode(match: RegExpExecArray): string | undefined {
  const [, hex2, hex4, hex8, octal, name] = match;
  const code = hex2 ?? hex4 ?? hex8;
  if (code !== undefined) {
    const value = Number.parseInt(code, 16);
    return value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
  }
  if (octal !== undefined) return String.fromCharCode(Number.parseInt(octal, 8));
  if (name !== undefined) return characterFromName(name);
  if (match[0] === "\\a") return "\x07";
  return undefined;
}

/** Byte ranges of `{{ … }}` and `{% … %}` tags, found by a plain scan (strings holding `}}` are rare). */
export function tagRanges(source: string): [number, number][] {
  const ranges: [number, number][] = [];
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf("{", index);
    if (open < 0 || open + 1 >= source.length) break;
    const kind = source[open + 1];
    if (kind !== "{" && kind !== "%") {
      index = open + 1;
      continue;
    }
    const close = source.indexOf(kind === "{" ? "}}" : "%}", open + 2);
    const end = close < 0 ? source.length : close + 2;
    ranges.push([open, end]);
    index = end;
  }
  return ranges;
}

/** Escape sequences inside tags that decode to an identifier character. */
export function identifierEscapes(source: string, limit = 50): EscapeSequence[] {
  const found: EscapeSequence[] = [];
  for (const [start, end] of tagRanges(source)) {
    const tag = source.slice(start, end);
    ESCAPE_PATTERN.lastIndex = 0;
    for (let match = ESCAPE_PATTERN.exec(tag); match; match = ESCAPE_PATTERN.exec(tag)) {
      const character = decode(match);
      if (character !== undefined && /^[A-Za-z0-9_]$/.test(character)) {
        found.push({ text: match[0], character, offset: start + match.index });
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

/**
 * Rewrites the escapes only Python's Jinja understands into ones @huggingface/jinja decodes, so a template
 * that hides a name behind `\137` parses and is judged like the one it renders as.
 */
export function normalizePythonEscapes(source: string): string {
  return source.replace(
    ESCAPE_PATTERN,
    (text, _hex2, _hex4, hex8: string | undefined, octal: string | undefined, name: string | undefined) => {
      if (hex8 !== undefined) {
        const value = Number.parseInt(hex8, 16);
        return value <= 0xffff ? `\\u${value.toString(16).padStart(4, "0")}` : text;
      }
      if (octal !== undefined) return `\\x${Number.parseInt(octal, 8).toString(16).padStart(2, "0").slice(-2)}`;
      if (name !== undefined) {
        const character = characterFromName(name);
        return character === undefined ? text : `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`;
      }
      if (text === "\\a") return "\\x07";
      return text;
    },
  );
}

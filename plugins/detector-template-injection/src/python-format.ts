/**
 * Static evaluation of Python string formatting (`'%c%s' % args`, `'%s'|format(...)`, `'{}'.format(...)`),
 * enough to fold names that payloads spell with character codes. Anything unusual gives undefined.
 */

export type Constant = string | number | boolean | null | readonly Constant[];

const MAX_RESULT_LENGTH = 10_000;

/** printf-style formatting as Python's `%` operator does it, for the conversions payloads use. */
export function percentFormat(template: string, args: readonly Constant[]): string | undefined {
  let result = "";
  let argument = 0;
  for (let index = 0; index < template.length; index++) {
    const character = template[index];
    if (character !== "%") {
      result += character;
      continue;
    }
    // Flags, width and precision are skipped: they only pad, which does not change a name.
    const match = /^%[-+ #0]*\d*(?:\.\d+)?([%csdirxXoaf])/.exec(template.slice(index));
    if (!match) return undefined;
    index += match[0].length - 1;
    const conversion = match[1];
    if (conversion === "%") {
      result += "%";
      continue;
    }
    if (argument >= args.length) return undefined;
    const value = args[argument++];
    const converted = convert(conversion ?? "", value);
    if (converted === undefined) return undefined;
    result += converted;
    if (result.length > MAX_RESULT_LENGTH) return undefined;
  }
  return argument === args.length ? result : undefined;
}

function convert(conversion: string, value: Constant | undefined): string | undefined {
  switch (conversion) {
    case "c":
      if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0x10ffff) {
        return String.fromCodePoint(value);
      }
      return typeof value === "string" && [...value].length === 1 ? value : undefined;
    case "s":
    case "r":
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    case "d":
    case "i":
      return typeof value === "number" ? String(Math.trunc(value)) : undefined;
    case "x":
      return typeof value === "number" && Number.isInteger(value) ? value.toString(16) : undefined;
    case "X":
      return typeof value === "number" && Number.isInteger(value) ? value.toString(16).toUpperCase() : undefined;
    case "o":
      return typeof value === "number" && Number.isInteger(value) ? value.toString(8) : undefined;
    default:
      return undefined;
  }
}

/** `str.format` with positional fields only (`{}`, `{0}`), which is what name-building needs. */
export function braceFormat(template: string, args: readonly Constant[]): string | undefined {
  let automatic = 0;
  let failed = false;
  const result = template.replace(/\{\{|\}\}|\{(\d*)\}|[{}]/g, (match, index: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    if (index === undefined) {
      failed = true;
      return "";
    }
    const position = index === "" ? automatic++ : Number(index);
    const value = args[position];
    if (typeof value !== "string" && typeof value !== "number") {
      failed = true;
      return "";
    }
    return String(value);
  });
  return failed || result.length > MAX_RESULT_LENGTH ? undefined : result;
}

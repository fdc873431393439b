import { HeaderError } from "./tar-header.js";

const utf8 = new TextDecoder("utf-8");

/**
 * POSIX pax extended header records: `<length> <keyword>=<value>\n`, where length counts the whole
 * record. Trailing NUL padding ends the list; anything else that breaks the layout is malformed.
 */
export function parsePaxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length && data[position] !== 0) {
    let cursor = position;
    let length = 0;
    while (cursor < data.length && (data[cursor] as number) >= 0x30 && (data[cursor] as number) <= 0x39) {
      length = length * 10 + (data[cursor] as number) - 0x30;
      if (length > data.length) throw new HeaderError(`pax record at ${position} is longer than its header`);
      cursor++;
    }
    const end = position + length;
    if (cursor === position || data[cursor] !== 0x20 || end > data.length || end <= cursor + 1) {
      throw new HeaderError(`pax record at ${position} has no valid length`);
    }
    if (data[end - 1] !== 0x0a) throw new HeaderError(`pax record at ${position} does not end with a newline`);
    const record = data.subarray(cursor + 1, end - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) throw new HeaderError(`pax record at ${position} has no keyword`);
    records.set(utf8.decode(record.subarray(0, equals)), utf8.decode(record.subarray(equals + 1)));
    position = end;
  }
  return records;
}

/** A pax decimal field (size); null when it is not a plain non-negative decimal number. */
export function paxNumber(value: string): number | null {
  if (!/^[0-9]+$/.test(value)) return null;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : Number.POSITIVE_INFINITY;
}

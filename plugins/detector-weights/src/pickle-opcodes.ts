/**
 * Recognises a pickle stream that starts at a given offset: a protocol 2-5 header followed by
 * opcodes that parse, with their arguments, up to STOP. Strict on purpose: the low bits of
 * trained weights are noise, and noise must not look like a pickle.
 */

/** How each opcode's argument is laid out. */
type Argument = "none" | 1 | 2 | 4 | 8 | "len1" | "len4" | "len8" | "line" | "twoLines";

const OPCODES = new Map<number, Argument>();
const define = (characters: string, argument: Argument) => {
  for (const character of characters) OPCODES.set(character.charCodeAt(0), argument);
};
// MARK STOP POP POP_MARK DUP NONE REDUCE APPEND BUILD DICT EMPTY_DICT APPENDS LIST EMPTY_LIST OBJ
// SETITEM SETITEMS TUPLE EMPTY_TUPLE BINPERSID
define("(.012NRabd}el]ostu)Q", "none");
// TUPLE1-3 NEWTRUE NEWFALSE NEWOBJ NEWOBJ_EX STACK_GLOBAL MEMOIZE EMPTY_SET ADDITEMS FROZENSET NEXT_BUFFER READONLY_BUFFER
define("\x85\x86\x87\x88\x89\x81\x92\x93\x94\x8f\x90\x91\x97\x98", "none");
define("Kqh\x82", 1); // BININT1 BINPUT BINGET EXT1
define("M\x83", 2); // BININT2 EXT2
define("Jrj\x84", 4); // BININT LONG_BINPUT LONG_BINGET EXT4
define("G\x95", 8); // BINFLOAT FRAME
define("UC\x8c\x8a", "len1"); // SHORT_BINSTRING SHORT_BINBYTES SHORT_BINUNICODE LONG1
define("TXB\x8b", "len4"); // BINSTRING BINUNICODE BINBYTES LONG4
define("\x8d\x8e\x96", "len8"); // BINUNICODE8 BINBYTES8 BYTEARRAY8
define("ILFSVPpg", "line"); // INT LONG FLOAT STRING UNICODE PERSID PUT GET
define("ci", "twoLines"); // GLOBAL INST

const STOP = 0x2e;
const STACK_GLOBAL = 0x93;
const MAX_OPCODES = 4096;
const MAX_LINE = 256;
/** A data-only pickle must be at least this long to count (an import makes a short one count). */
const MIN_PLAIN_OPCODES = 12;
const IDENTIFIER = /^[A-Za-z_][\w.]{0,127}$/;
const STRING_OPCODES = new Set([0x8c, 0x58, 0x8d, 0x55, 0x54]);

export interface PickleMatch {
  protocol: number;
  /** Bytes from the header to STOP inclusive. */
  length: number;
  /** The first import the stream names, when it names one (`posix.system`). */
  firstImport: string | null;
}

/** A pickle starting at `start` of `bytes`, parsed to its STOP, or null. */
export function matchPickle(bytes: Uint8Array, start: number): PickleMatch | null {
  if (bytes[start] !== 0x80) return null;
  const protocol = bytes[start + 1] ?? 0;
  if (protocol < 2 || protocol > 5) return null;
  let position = start + 2;
  let opcodes = 0;
  let firstImport: string | null = null;
  const recentStrings: string[] = [];
  while (opcodes < MAX_OPCODES) {
    const opcode = bytes[position];
    if (opcode === undefined) return null;
    const argument = OPCODES.get(opcode);
    if (argument === undefined) return null;
    position++;
    if (opcode === STOP) {
      if (opcodes >= MIN_PLAIN_OPCODES || (firstImport !== null && opcodes >= 3)) {
        return { protocol, length: position - start, firstImport };
      }
      return null;
    }
    opcodes++;
    if (argument === "none") {
      if (opcode === STACK_GLOBAL && firstImport === null) {
        const [module, name] = recentStrings.slice(-2);
        if (module === undefined || name === undefined || !IDENTIFIER.test(module) || !IDENTIFIER.test(name)) {
          return null;
        }
        firstImport = `${module}.${name}`;
      }
      continue;
    }
    if (typeof argument === "number") {
      position += argument;
      continue;
    }
    if (argument === "line" || argument === "twoLines") {
      const lines: string[] = [];
      for (let count = argument === "line" ? 1 : 2; count > 0; count--) {
        const line = readLine(bytes, position);
        if (line === null) return null;
        lines.push(line);
        position += line.length + 1;
      }
      if (argument === "twoLines") {
        const [module = "", name = ""] = lines;
        if (!IDENTIFIER.test(module) || !IDENTIFIER.test(name)) return null;
        firstImport ??= `${module}.${name}`;
      }
      continue;
    }
    const width = argument === "len1" ? 1 : argument === "len4" ? 4 : 8;
    const length = readLength(bytes, position, width);
    if (length === null || position + width + length > bytes.length) return null;
    if (STRING_OPCODES.has(opcode) && length <= 128) {
      recentStrings.push(latin1(bytes.subarray(position + width, position + width + length)));
      if (recentStrings.length > 2) recentStrings.shift();
    }
    position += width + length;
  }
  return null;
}

/** A printable ASCII line ending in `\n`, without it; null when there is none within reach. */
function readLine(bytes: Uint8Array, start: number): string | null {
  const limit = Math.min(bytes.length, start + MAX_LINE);
  for (let position = start; position < limit; position++) {
    const byte = bytes[position] as number;
    if (byte === 0x0a) return latin1(bytes.subarray(start, position));
    if (byte < 0x20 || byte > 0x7e) return null;
  }
  return null;
}

function readLength(bytes: Uint8Array, start: number, width: 1 | 4 | 8): number | null {
  if (start + width > bytes.length) return null;
  let value = 0;
  for (let index = width - 1; index >= 0; index--) value = value * 256 + (bytes[start + index] as number);
  return Number.isSafeInteger(value) ? value : null;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

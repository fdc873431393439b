/**
 * Tar header blocks (POSIX ustar, GNU and v7), read the way Python's tarfile reads them: a field
 * that tarfile would reject is malformed here too, so what we list is what a loader extracts.
 */
import { decodeName } from "../zip/zip-records.js";

export const BLOCK = 512;

export const POSIX_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00]; // "ustar\0"
export const GNU_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x20, 0x20, 0x00]; // "ustar  \0"

/** Type flags that carry a name or metadata for the next header rather than a member. */
export const TYPE = {
  regular: "0",
  regularOld: "\0",
  hardlink: "1",
  symlink: "2",
  character: "3",
  block: "4",
  directory: "5",
  fifo: "6",
  contiguous: "7",
  paxLocal: "x",
  paxGlobal: "g",
  gnuLongName: "L",
  gnuLongLink: "K",
  gnuSparse: "S",
  gnuVolume: "V",
  gnuMultiVolume: "M",
  gnuDumpDirectory: "D",
} as const;

export type HeaderFormat = "ustar" | "gnu" | "v7";

export interface TarHeader {
  /** `prefix/name` for ustar headers, else the name field, up to its first NUL. */
  name: string;
  linkName: string;
  /** The type flag as a one-character string (`"\0"` for old regular files). */
  typeFlag: string;
  /** The size field; Infinity when it cannot be addressed (past 2^53). */
  size: number;
  format: HeaderFormat;
  /** GNU sparse headers: whether extension blocks follow, and the file's real size. */
  sparseExtended: boolean;
  sparseRealSize: number;
}

/** A header field tarfile would refuse (bad octal, bad checksum, negative size). */
export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HeaderError";
  }
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let index = 0; index < block.length; index++) if (block[index] !== 0) return false;
  return true;
}

function matches(block: Uint8Array, offset: number, bytes: readonly number[]): boolean {
  return bytes.every((byte, index) => block[offset + index] === byte);
}

export function headerFormat(block: Uint8Array): HeaderFormat {
  if (matches(block, 257, GNU_MAGIC)) return "gnu";
  if (matches(block, 257, POSIX_MAGIC)) return "ustar";
  return "v7";
}

/**
 * A numeric field: octal ASCII (spaces around, ended by NUL or space) or, when the high bit of the
 * first byte is set, big-endian base-256 (0x80 positive, 0xff negative). Values past 2^53 become
 * Infinity so every range check on them fails.
 */
export function parseNumber(field: Uint8Array): number {
  const value = numberOrNull(field);
  if (value === null) {
    const end = field.indexOf(0);
    const text = String.fromCharCode(...field.subarray(0, end < 0 ? field.length : end)).trim();
    throw new HeaderError(`numeric field ${JSON.stringify(text)} is not octal`);
  }
  return value;
}

/** `parseNumber` without the throw (null when not octal): sniffing every file must not build an Error per file. */
function numberOrNull(field: Uint8Array): number | null {
  const first = field[0] ?? 0;
  if (first === 0x80 || first === 0xff) {
    let value = 0;
    for (let index = 1; index < field.length; index++) value = value * 256 + (field[index] as number);
    if (first === 0xff) return value - 256 ** (field.length - 1);
    return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
  }
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  const text = String.fromCharCode(...field.subarray(0, end)).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  const value = Number.parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/** The checksum is the sum of the header bytes with its own field read as spaces; old tars summed signed bytes. */
export function checksumMatches(block: Uint8Array): boolean {
  const stored = numberOrNull(block.subarray(148, 156));
  if (stored === null) return false;
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let index = 0; index < BLOCK; index++) {
    if (index >= 148 && index < 156) continue;
    const byte = block[index] as number;
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** A string field up to its first NUL, decoded as UTF-8 when valid, else Latin-1. */
export function stringField(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decodeName(end < 0 ? field : field.subarray(0, end));
}

/** Parses one non-zero header block; throws HeaderError where tarfile would stop. */
export function parseHeader(block: Uint8Array): TarHeader {
  if (!checksumMatches(block)) throw new HeaderError("header checksum does not match");
  const format = headerFormat(block);
  const typeFlag = String.fromCharCode(block[156] as number);
  const size = parseNumber(block.subarray(124, 136));
  if (size < 0) throw new HeaderError(`negative size ${size}`);
  let name = stringField(block, 0, 100);
  const isGnuExtension = typeFlag === TYPE.gnuLongName || typeFlag === TYPE.gnuLongLink || typeFlag === TYPE.gnuSparse;
  // tarfile joins the ustar prefix whenever it is set, whatever the magic says: so do we.
  if (!isGnuExtension) {
    const prefix = stringField(block, 345, 155);
    if (prefix !== "") name = `${prefix}/${name}`;
  }
  const header: TarHeader = {
    name,
    linkName: stringField(block, 157, 100),
    typeFlag,
    size,
    format,
    sparseExtended: false,
    sparseRealSize: 0,
  };
  if (typeFlag === TYPE.gnuSparse) {
    header.sparseExtended = block[482] !== 0;
    header.sparseRealSize = parseNumber(block.subarray(483, 495));
  }
  return header;
}

/**
 * Sniffing: the ustar or GNU magic at 257, or a v7 header whose checksum validates over a non-empty
 * name. The checksum is what tells a tar from other bytes.
 */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  const block = head.subarray(0, BLOCK);
  if (headerFormat(block) !== "v7") return true;
  return block[0] !== 0 && checksumMatches(block);
}

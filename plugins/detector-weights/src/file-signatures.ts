import { matchPickle } from "./pickle-opcodes.js";

/**
 * File signatures looked for in bytes extracted from weights. Each one is checked with enough of
 * its header that random bytes (the low bits of trained weights) essentially never match: a bare
 * `MZ` or `#!` is not enough.
 */
export type SignatureKind = "elf" | "pe" | "zip" | "gzip" | "7z" | "pickle" | "png" | "pdf" | "shebang";

export interface SignatureMatch {
  kind: SignatureKind;
  /** Offset of the signature in the extracted bytes. */
  offset: number;
  /** A short human description (`an ELF executable (64-bit)`, `a pickle (protocol 2) importing posix.system`). */
  description: string;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SEVEN_ZIP = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const ZIP_METHODS = new Set([0, 8, 9, 12, 14, 93, 95, 98, 99]);
const SHEBANG = /^#! ?\/[A-Za-z0-9_./-]{2,80}(?:[ \t][\x20-\x7e]{0,120})?\n/;

/** The first signature at any byte offset of `bytes`, or null. */
export function findSignature(bytes: Uint8Array): SignatureMatch | null {
  for (let offset = 0; offset < bytes.length; offset++) {
    const match = signatureAt(bytes, offset);
    if (match) return match;
  }
  return null;
}

/** The signature starting exactly at `offset`, or null. */
export function signatureAt(bytes: Uint8Array, offset: number): SignatureMatch | null {
  const at = (index: number) => bytes[offset + index] ?? -1;
  switch (bytes[offset]) {
    case 0x7f: {
      // ELF: class 32/64, endianness LE/BE, version 1.
      if (at(1) !== 0x45 || at(2) !== 0x4c || at(3) !== 0x46) return null;
      if ((at(4) !== 1 && at(4) !== 2) || (at(5) !== 1 && at(5) !== 2) || at(6) !== 1) return null;
      return { kind: "elf", offset, description: `an ELF executable (${at(4) === 2 ? "64" : "32"}-bit)` };
    }
    case 0x4d: {
      // PE: `MZ`, then e_lfanew pointing at `PE\0\0` inside the bytes we have.
      if (at(1) !== 0x5a || offset + 0x40 > bytes.length) return null;
      const header = at(0x3c) | (at(0x3d) << 8) | (at(0x3e) << 16) | (at(0x3f) << 24);
      if (header < 0x40 || header > 0x1000) return null;
      if (at(header) !== 0x50 || at(header + 1) !== 0x45 || at(header + 2) !== 0 || at(header + 3) !== 0) return null;
      return { kind: "pe", offset, description: "a Windows PE executable" };
    }
    case 0x50: {
      // Zip local file header with a plausible version, method and name length.
      if (at(1) !== 0x4b || at(2) !== 0x03 || at(3) !== 0x04) return null;
      if (at(4) > 63 || at(5) !== 0 || !ZIP_METHODS.has(at(8) | (at(9) << 8))) return null;
      const nameLength = at(26) | (at(27) << 8);
      if (nameLength < 1 || nameLength > 1024 || at(27) < 0) return null;
      return { kind: "zip", offset, description: "a zip archive" };
    }
    case 0x1f: {
      // gzip: deflate, no reserved flag bits, a known XFL and OS byte.
      if (at(1) !== 0x8b || at(2) !== 0x08 || at(3) < 0 || (at(3) & 0xe0) !== 0) return null;
      const extra = at(8);
      const system = at(9);
      if (![0, 2, 4].includes(extra) || !(system <= 13 || system === 255) || system < 0) return null;
      return { kind: "gzip", offset, description: "a gzip stream" };
    }
    case 0x37:
      return matches(bytes, offset, SEVEN_ZIP) && at(6) === 0
        ? { kind: "7z", offset, description: "a 7z archive" }
        : null;
    case 0x89:
      return matches(bytes, offset, PNG) ? { kind: "png", offset, description: "a PNG image" } : null;
    case 0x25: {
      // %PDF-1.x / %PDF-2.x
      if (!matches(bytes, offset, [0x25, 0x50, 0x44, 0x46, 0x2d])) return null;
      if (at(5) < 0x31 || at(5) > 0x32 || at(6) !== 0x2e || at(7) < 0x30 || at(7) > 0x39) return null;
      return { kind: "pdf", offset, description: "a PDF document" };
    }
    case 0x23: {
      if (at(1) !== 0x21) return null;
      const line = SHEBANG.exec(ascii(bytes, offset, 256));
      return line ? { kind: "shebang", offset, description: `a script (${line[0].trimEnd()})` } : null;
    }
    case 0x80: {
      const pickle = matchPickle(bytes, offset);
      if (!pickle) return null;
      const imports = pickle.firstImport ? ` importing ${pickle.firstImport}` : "";
      return { kind: "pickle", offset, description: `a pickle (protocol ${pickle.protocol})${imports}` };
    }
    default:
      return null;
  }
}

function matches(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (offset + expected.length > bytes.length) return false;
  for (let index = 0; index < expected.length; index++) if (bytes[offset + index] !== expected[index]) return false;
  return true;
}

/** Up to `length` bytes as text, stopping at the first byte outside printable ASCII plus `\t\n`. */
function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = "";
  const end = Math.min(bytes.length, offset + length);
  for (let position = offset; position < end; position++) {
    const byte = bytes[position] as number;
    if ((byte < 0x20 || byte > 0x7e) && byte !== 0x0a && byte !== 0x09) break;
    text += String.fromCharCode(byte);
    if (byte === 0x0a) break;
  }
  return text;
}

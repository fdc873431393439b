import { FORMATS, type FormatHandler, type ParseContext } from "@modelaudit/core";
import { blocked } from "./read-source.js";

/** git-lfs never writes a pointer this large; anything bigger is not one (spec: "less than 1 KiB"). */
export const MAX_POINTER_BYTES = 1023;

/** Versions git-lfs accepts, compared as plain strings as the spec demands (the second is the pre-1.0 name). */
const VERSIONS = new Set(["https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1"]);
const PREFIX = "version ";
const OID = /^sha256:([0-9a-f]{64})$/;
const SIZE = /^\d{1,20}$/;
/** Extension lines: `ext-<priority>-<name> sha256:<oid of the cleaned content>`. */
const EXTENSION_KEY = /^ext-\d-[a-z0-9.-]+$/;

export interface LfsPointer {
  version: string;
  /** Lower-case hex SHA-256 of the real file. */
  oid: string;
  /** Size of the real file in bytes, as written (decimal digits). */
  size: string;
  extensions: { key: string; value: string; line: number }[];
}

/**
 * Parses a Git LFS pointer exactly as the spec (git-lfs docs/spec.md) defines it: lines `key value\n`
 * (git-lfs writes ASCII only), `version` first, then the other keys sorted, only `ext-*`, `oid` and
 * `size`, one space between key and value. Returns null for anything else: a loose match would claim
 * real files and hide them from the handlers that understand them.
 */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | null {
  if (bytes.length === 0 || bytes.length > MAX_POINTER_BYTES) return null;
  // Every pointer starts with `version `: most files sniffed are rejected here, before any other work.
  for (let index = 0; index < PREFIX.length; index++) if (bytes[index] !== PREFIX.charCodeAt(index)) return null;
  for (const byte of bytes) {
    // Printable ASCII and LF only: no CR, no NUL, no control or non-ASCII bytes.
    if (byte !== 0x0a && (byte < 0x20 || byte > 0x7e)) return null;
  }
  let text = String.fromCharCode(...bytes);
  if (!text.startsWith(PREFIX)) return null;
  // Every line ends with LF; tolerate a pointer whose final newline was lost.
  if (text.endsWith("\n")) text = text.slice(0, -1);
  const lines = text.split("\n");
  const [versionLine, ...rest] = lines;
  const version = versionLine?.slice(PREFIX.length) ?? "";
  if (!VERSIONS.has(version)) return null;
  let previous = "";
  let oid: string | undefined;
  let size: string | undefined;
  const extensions: LfsPointer["extensions"] = [];
  for (const [index, line] of rest.entries()) {
    const space = line.indexOf(" ");
    if (space <= 0) return null;
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (value.length === 0 || value.startsWith(" ") || key <= previous) return null;
    previous = key;
    if (key === "oid") {
      const match = OID.exec(value);
      if (!match) return null;
      oid = match[1];
    } else if (key === "size") {
      if (!SIZE.test(value)) return null;
      size = value;
    } else if (EXTENSION_KEY.test(key) && OID.test(value)) {
      extensions.push({ key, value, line: index + 2 });
    } else {
      return null;
    }
  }
  if (oid === undefined || size === undefined) return null;
  return { version, oid, size, extensions };
}

/**
 * A Git LFS pointer checked out in place of the file it stands for (a clone without `git lfs pull`).
 * The facts say which object is missing; whether that matters is the supply-chain detector's call.
 */
export const lfsPointerHandler: FormatHandler = {
  id: FORMATS.gitLfsPointer,
  description: "Git LFS pointer file (version https://git-lfs.github.com/spec/v1, oid sha256:..., size ...)",
  // The whole pointer fits in the sniff head, so sniffing parses it completely.
  sniff: (input) => input.size === input.head.length && parseLfsPointer(input.head) !== null,
  async parse(context) {
    const bytes = await context.source.read(0, MAX_POINTER_BYTES + 1);
    const pointer = parseLfsPointer(bytes);
    if (!pointer) {
      blocked(context, "malformed", "Git LFS pointer changed between sniffing and parsing");
      return;
    }
    emitPointer(context, pointer);
  },
};

function emitPointer(context: ParseContext, pointer: LfsPointer): void {
  for (const extension of pointer.extensions) {
    context.emit({
      kind: "text",
      text: extension.value,
      key: `git-lfs.${extension.key}`,
      role: "metadata",
      location: { line: extension.line },
    });
  }
  const oidLine = 2 + pointer.extensions.length;
  context.emit({
    kind: "text",
    text: pointer.size,
    key: "git-lfs.size",
    role: "metadata",
    location: { line: oidLine + 1 },
  });
  context.emit({
    kind: "reference",
    target: `sha256:${pointer.oid}`,
    referenceKind: "path",
    key: "git-lfs",
    location: { line: oidLine },
  });
}

import { type CodeLanguage, FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
import { type ExecutableMatch, identifyElf, identifyFat, identifyMachO, identifyPe } from "./executable-headers.js";
import { describeShebang } from "./shebang.js";

/**
 * One handler per executable family. The sniffers are the header validators, so a source (or, through
 * `identify`, any offset of extracted bytes) is labelled only when the whole header holds, never on a
 * bare magic. There is nothing to parse: the engine labels the source with the handler's id, which is
 * what detectors judge.
 */
function executableHandler(
  id: string,
  description: string,
  magic: readonly Uint8Array[],
  validate: (bytes: Uint8Array, at: number) => ExecutableMatch | null,
): FormatHandler {
  return {
    id,
    description,
    magic,
    sniff: (input: SniffInput) => validate(input.head, 0) !== null,
    parse: () => undefined,
  };
}

export const elfHandler = executableHandler(
  FORMATS.elf,
  "ELF executable, shared library or object (header validated: class, encoding, type, machine, header size)",
  [Uint8Array.of(0x7f, 0x45, 0x4c, 0x46)], // \x7fELF
  identifyElf,
);

export const peHandler = executableHandler(
  FORMATS.pe,
  "PE executable or DLL (MZ stub, e_lfanew to a PE header with a known machine and an image optional header)",
  [Uint8Array.of(0x4d, 0x5a)], // MZ
  identifyPe,
);

export const machOHandler = executableHandler(
  FORMATS.machO,
  "Mach-O executable, dylib or bundle, thin or universal (known CPU, file type and load-command sizes)",
  [
    Uint8Array.of(0xfe, 0xed, 0xfa, 0xce), // 32-bit, big-endian
    Uint8Array.of(0xce, 0xfa, 0xed, 0xfe), // 32-bit, little-endian
    Uint8Array.of(0xfe, 0xed, 0xfa, 0xcf), // 64-bit, big-endian
    Uint8Array.of(0xcf, 0xfa, 0xed, 0xfe), // 64-bit, little-endian
    Uint8Array.of(0xca, 0xfe, 0xba, 0xbe), // universal (fat); Java class files too, which the validator rejects
    Uint8Array.of(0xca, 0xfe, 0xba, 0xbf), // universal with 64-bit offsets
  ],
  (bytes, at) => identifyMachO(bytes, at) ?? identifyFat(bytes, at),
);

/** Scripts longer than this are read up to it (the rest is named in an anomaly). */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** The code language of an interpreter, so code detectors read the script in the right syntax. */
function scriptLanguage(interpreter: string): CodeLanguage {
  if (/^python[\d.]*$/.test(interpreter)) return "python";
  if (/^(?:sh|bash|dash|zsh|ksh|ash|busybox)$/.test(interpreter)) return "shell";
  if (/^(?:node|nodejs|deno|bun)$/.test(interpreter)) return "javascript";
  return "unknown";
}

/**
 * A script is text a user may be led to run: its whole text (bounded) is a code fact in its
 * interpreter's language, for the detectors that judge code.
 */
export const shebangScriptHandler: FormatHandler = {
  id: FORMATS.shebangScript,
  description: "Script starting with a #! interpreter line naming an absolute path (#!/bin/sh, #!/usr/bin/env python3)",
  magic: [Uint8Array.of(0x23, 0x21)], // #!
  sniff: (input) => describeShebang(input.head) !== null,
  async parse(context) {
    const { source } = context;
    const length = Math.min(source.size, MAX_SCRIPT_BYTES, context.limits.maxInMemoryBytes);
    const bytes = await source.read(0, length);
    const shebang = describeShebang(bytes);
    if (!shebang) return;
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return; // not text after the interpreter line: the byte-level detectors judge it
    }
    const path = (context.memberChain.at(-1) ?? context.file).split("/").pop() ?? "";
    context.emit({ kind: "code", language: scriptLanguage(shebang.interpreter), text, location: { path } });
    if (source.size > length) {
      context.emit({
        kind: "anomaly",
        code: "limit-exceeded",
        message: `script of ${source.size} bytes: only the first ${length} were read as code`,
        location: { path },
      });
    }
  },
};

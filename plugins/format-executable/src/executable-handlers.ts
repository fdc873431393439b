import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
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

export const shebangScriptHandler: FormatHandler = {
  id: FORMATS.shebangScript,
  description: "Script starting with a #! interpreter line naming an absolute path (#!/bin/sh, #!/usr/bin/env python3)",
  magic: [Uint8Array.of(0x23, 0x21)], // #!
  sniff: (input) => describeShebang(input.head) !== null,
  parse: () => undefined,
};

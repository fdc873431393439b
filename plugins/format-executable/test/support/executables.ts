/**
 * Executables for tests: the gcc-built tiny ELF the archive fixture generator commits, and headers
 * built by hand per the PE/COFF spec and mach-o/loader.h (detector-binary's tests use them too).
 */
import { readFileSync } from "node:fs";

export const fixtures = new URL("../../../../tooling/fixtures/archives/", import.meta.url);

/** The tiny ELF the fixture generator builds with gcc. */
export function tinyElf(): Uint8Array {
  return new Uint8Array(readFileSync(new URL("elf_named_model.pt", fixtures)));
}

export function buildPe(options: { machine?: number; characteristics?: number; lfanew?: number } = {}): Uint8Array {
  const lfanew = options.lfanew ?? 0x40;
  const bytes = new Uint8Array(Math.max(512, lfanew + 24 + 240));
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a], 0);
  view.setUint32(0x3c, lfanew, true);
  bytes.set([0x50, 0x45, 0, 0], lfanew);
  view.setUint16(lfanew + 4, options.machine ?? 0x8664, true);
  view.setUint16(lfanew + 20, 240, true);
  view.setUint16(lfanew + 22, options.characteristics ?? 0x0022, true);
  view.setUint16(lfanew + 24, 0x20b, true);
  return bytes;
}

export function buildMachO(options: { magic?: number; cpu?: number; fileType?: number; littleEndian?: boolean } = {}) {
  const little = options.littleEndian ?? true;
  const bytes = new Uint8Array(32 + 72);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, options.magic ?? 0xfeedfacf, little);
  view.setUint32(4, options.cpu ?? 0x01000007, little);
  view.setUint32(8, 3, little);
  view.setUint32(12, options.fileType ?? 2, little);
  view.setUint32(16, 1, little);
  view.setUint32(20, 72, little);
  view.setUint32(32, 0x19, little);
  view.setUint32(36, 72, little);
  return bytes;
}

export function buildFat(architectures: number[] = [0x01000007, 0x0100000c]): Uint8Array {
  const bytes = new Uint8Array(8 + 20 * architectures.length + 16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xcafebabe);
  view.setUint32(4, architectures.length);
  architectures.forEach((cpu, index) => {
    const record = 8 + index * 20;
    view.setUint32(record, cpu);
    view.setUint32(record + 4, 3);
    view.setUint32(record + 8, 0x4000 * (index + 1));
    view.setUint32(record + 12, 0x1000);
    view.setUint32(record + 16, 14);
  });
  return bytes;
}

/** A Java class file header: cafebabe, minor 0, major 52 (Java 8). */
export function buildJavaClass(): Uint8Array {
  return Uint8Array.of(
    0xca,
    0xfe,
    0xba,
    0xbe,
    0,
    0,
    0,
    52,
    0,
    16,
    10,
    0,
    3,
    0,
    13,
    7,
    0,
    14,
    7,
    0,
    15,
    1,
    0,
    6,
    60,
    105,
  );
}

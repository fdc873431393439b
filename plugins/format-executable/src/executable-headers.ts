/**
 * Header validation for native executables found at any offset. Weight data is random-looking, so
 * a bare magic (`MZ` every 64 KiB of random bytes) means nothing: every check below demands several
 * independent fields with the values real toolchains write, making a chance match in random data
 * astronomically unlikely (each validator needs well over 48 bits of agreement).
 */

export type ExecutableFormat = "ELF" | "PE" | "Mach-O" | "Mach-O universal";

export interface ExecutableMatch {
  format: ExecutableFormat;
  /** `executable`, `shared library`, `relocatable object`... */
  kind: string;
  architecture: string;
  /** True for shared libraries / DLLs / dylibs / bundles: loadable native code. */
  sharedLibrary: boolean;
}

/** How far past the magic a PE header may sit (e_lfanew). Real linkers use 0x40-0x200. */
export const MAX_PE_HEADER_OFFSET = 0x1000;

/** Bytes a validator may need from the header's first byte: a window must hold this much past a position. */
export const MAX_HEADER_BYTES = MAX_PE_HEADER_OFFSET + 28;

const ELF_MACHINES: ReadonlyMap<number, string> = new Map([
  [2, "SPARC"],
  [3, "x86"],
  [8, "MIPS"],
  [20, "PowerPC"],
  [21, "PowerPC64"],
  [22, "s390"],
  [40, "ARM"],
  [43, "SPARC V9"],
  [50, "IA-64"],
  [62, "x86-64"],
  [183, "AArch64"],
  [243, "RISC-V"],
  [247, "BPF"],
  [258, "LoongArch"],
]);

const ELF_TYPES: ReadonlyMap<number, string> = new Map([
  [1, "relocatable object"],
  [2, "executable"],
  [3, "shared library or position-independent executable"],
  [4, "core dump"],
]);

const PE_MACHINES: ReadonlyMap<number, string> = new Map([
  [0x014c, "x86"],
  [0x8664, "x86-64"],
  [0x01c0, "ARM"],
  [0x01c4, "ARMv7 Thumb-2"],
  [0xaa64, "ARM64"],
  [0x0200, "IA-64"],
  [0x5032, "RISC-V 32"],
  [0x5064, "RISC-V 64"],
  [0x6264, "LoongArch64"],
  [0x0ebc, "EFI byte code"],
]);

const PE_OPTIONAL_MAGICS = new Set([0x10b, 0x20b, 0x107]);
const PE_EXECUTABLE_IMAGE = 0x0002;
const PE_DLL = 0x2000;

const MACHO_CPUS: ReadonlyMap<number, string> = new Map([
  [7, "x86"],
  [0x01000007, "x86-64"],
  [12, "ARM"],
  [0x0100000c, "ARM64"],
  [0x0200000c, "ARM64_32"],
  [18, "PowerPC"],
  [0x01000012, "PowerPC64"],
]);

const MACHO_FILE_TYPES: ReadonlyMap<number, string> = new Map([
  [1, "relocatable object"],
  [2, "executable"],
  [3, "fixed VM library"],
  [4, "core dump"],
  [5, "preloaded executable"],
  [6, "dynamic library"],
  [7, "dynamic linker"],
  [8, "bundle"],
  [9, "dynamic library stub"],
  [10, "debug symbols"],
  [11, "kernel extension"],
  [12, "file set"],
]);
const MACHO_SHARED_TYPES = new Set([6, 8, 11]);

const MAX_FAT_ARCHES = 20;

function u16(bytes: Uint8Array, at: number, little: boolean): number {
  const first = bytes[at] as number;
  const second = bytes[at + 1] as number;
  return little ? first | (second << 8) : (first << 8) | second;
}

function u32(bytes: Uint8Array, at: number, little: boolean): number {
  const b0 = bytes[at] as number;
  const b1 = bytes[at + 1] as number;
  const b2 = bytes[at + 2] as number;
  const b3 = bytes[at + 3] as number;
  return little ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0 : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

/** The executable whose header starts at `position`, or null. Reads only bytes that exist. */
export function describeExecutable(bytes: Uint8Array, position = 0): ExecutableMatch | null {
  const first = bytes[position];
  if (first === 0x7f) return identifyElf(bytes, position);
  if (first === 0x4d) return identifyPe(bytes, position);
  if (first === 0xca) return identifyFat(bytes, position);
  if (first === 0xfe || first === 0xce || first === 0xcf) return identifyMachO(bytes, position);
  return null;
}

export function identifyElf(bytes: Uint8Array, at: number): ExecutableMatch | null {
  if (bytes.length - at < 64) return null;
  if (bytes[at] !== 0x7f || bytes[at + 1] !== 0x45 || bytes[at + 2] !== 0x4c || bytes[at + 3] !== 0x46) return null;
  const elfClass = bytes[at + 4];
  const data = bytes[at + 5];
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2) || bytes[at + 6] !== 1) return null;
  const osAbi = bytes[at + 7] as number;
  if (osAbi > 18 && osAbi !== 97 && osAbi !== 255) return null;
  if ((bytes[at + 8] as number) > 15) return null;
  for (let index = 9; index < 16; index++) if (bytes[at + index] !== 0) return null;
  const little = data === 1;
  const type = ELF_TYPES.get(u16(bytes, at + 16, little));
  const architecture = ELF_MACHINES.get(u16(bytes, at + 18, little));
  if (!type || !architecture || u32(bytes, at + 20, little) !== 1) return null;
  const headerSize = elfClass === 1 ? u16(bytes, at + 40, little) : u16(bytes, at + 52, little);
  if (headerSize !== (elfClass === 1 ? 52 : 64)) return null;
  const sharedLibrary = u16(bytes, at + 16, little) === 3;
  return { format: "ELF", kind: type, architecture, sharedLibrary };
}

export function identifyPe(bytes: Uint8Array, at: number): ExecutableMatch | null {
  if (bytes.length - at < 64 || bytes[at] !== 0x4d || bytes[at + 1] !== 0x5a) return null;
  const headerOffset = u32(bytes, at + 0x3c, true);
  if (headerOffset < 4 || headerOffset > MAX_PE_HEADER_OFFSET) return null;
  const header = at + headerOffset;
  if (header + 26 > bytes.length) return null;
  if (bytes[header] !== 0x50 || bytes[header + 1] !== 0x45 || bytes[header + 2] !== 0 || bytes[header + 3] !== 0) {
    return null;
  }
  const architecture = PE_MACHINES.get(u16(bytes, header + 4, true));
  if (!architecture) return null;
  const optionalSize = u16(bytes, header + 20, true);
  const characteristics = u16(bytes, header + 22, true);
  if (optionalSize < 2 || (characteristics & PE_EXECUTABLE_IMAGE) === 0) return null;
  if (!PE_OPTIONAL_MAGICS.has(u16(bytes, header + 24, true))) return null;
  const sharedLibrary = (characteristics & PE_DLL) !== 0;
  return { format: "PE", kind: sharedLibrary ? "DLL" : "executable", architecture, sharedLibrary };
}

export function identifyMachO(bytes: Uint8Array, at: number): ExecutableMatch | null {
  if (bytes.length - at < 32) return null;
  const magic = u32(bytes, at, false);
  let little: boolean;
  if (magic === 0xfeedface || magic === 0xfeedfacf) little = false;
  else if (magic === 0xcefaedfe || magic === 0xcffaedfe) little = true;
  else return null;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const cpu = u32(bytes, at + 4, little);
  const architecture = MACHO_CPUS.get(cpu);
  if (!architecture) return null;
  // The 64-bit flag of the cputype must agree with the header width (except arm64_32 on 32-bit headers).
  if (is64 !== ((cpu & 0x01000000) !== 0)) return null;
  if ((u32(bytes, at + 8, little) & 0x00ffffff) > 0xff) return null;
  const fileType = u32(bytes, at + 12, little);
  const kind = MACHO_FILE_TYPES.get(fileType);
  if (!kind) return null;
  const commands = u32(bytes, at + 16, little);
  const commandBytes = u32(bytes, at + 20, little);
  if (commands === 0 || commands > 0xffff || commandBytes < commands * 8 || commandBytes > 64 * 1024 ** 2) return null;
  return { format: "Mach-O", kind, architecture, sharedLibrary: MACHO_SHARED_TYPES.has(fileType) };
}

/**
 * Universal binaries share `cafebabe` with Java class files; there bytes 4-7 are the class version
 * (major >= 45), so a small architecture count plus sound architecture records tells them apart.
 */
export function identifyFat(bytes: Uint8Array, at: number): ExecutableMatch | null {
  if (bytes.length - at < 8) return null;
  const magic = u32(bytes, at, false);
  if (magic !== 0xcafebabe && magic !== 0xcafebabf) return null;
  const wide = magic === 0xcafebabf;
  const count = u32(bytes, at + 4, false);
  if (count === 0 || count > MAX_FAT_ARCHES) return null;
  const recordSize = wide ? 32 : 20;
  const headerEnd = 8 + count * recordSize;
  if (bytes.length - at < headerEnd) return null;
  const architectures: string[] = [];
  for (let index = 0; index < count; index++) {
    const record = at + 8 + index * recordSize;
    const architecture = MACHO_CPUS.get(u32(bytes, record, false));
    if (!architecture) return null;
    const offsetHigh = wide ? u32(bytes, record + 8, false) : 0;
    const offset = wide ? u32(bytes, record + 12, false) : u32(bytes, record + 8, false);
    const size = wide ? u32(bytes, record + 20, false) : u32(bytes, record + 12, false);
    const align = u32(bytes, record + (wide ? 24 : 16), false);
    if (offsetHigh !== 0 || align > 16 || size === 0 || offset < headerEnd || offset % 2 ** align !== 0) return null;
    architectures.push(architecture);
  }
  return {
    format: "Mach-O universal",
    kind: "universal binary",
    architecture: architectures.join("+"),
    sharedLibrary: false,
  };
}

/** Zip record layouts (PKWARE APPNOTE 6.3), read leniently: every length is checked against what exists. */

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const ZIP64_END_SIGNATURE = 0x06064b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

export const END_RECORD_SIZE = 22;
export const CENTRAL_HEADER_SIZE = 46;
export const LOCAL_HEADER_SIZE = 30;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_END_SIZE = 56;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_UTF8 = 0x0800;

export const METHOD_NAMES: Record<number, string> = {
  0: "stored",
  1: "shrunk",
  6: "imploded",
  8: "deflate",
  9: "deflate64",
  12: "bzip2",
  14: "lzma",
  93: "zstd",
  95: "xz",
  96: "jpeg",
  97: "wavpack",
  98: "ppmd",
  99: "aes",
};

export function methodName(method: number): string {
  return METHOD_NAMES[method] ?? `method-${method}`;
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readUint64(data: DataView, offset: number): number {
  const low = data.getUint32(offset, true);
  const high = data.getUint32(offset + 4, true);
  // Above 2^53 nothing in a real file can be addressed; Infinity makes every range check fail.
  return high >= 0x200000 ? Number.POSITIVE_INFINITY : high * 2 ** 32 + low;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** Names are raw bytes; decode UTF-8 when it is valid, else Latin-1 so every byte stays visible. */
export function decodeName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export interface ExtraFields {
  /** The first zip64 extended information field (0x0001): the one miniz reads. */
  zip64?: DataView;
  /** Every zip64 field in order: zipfile lets each fill the sizes the ones before it left saturated. */
  zip64Fields: DataView[];
  /** AES extra field (0x9901): the real compression method. */
  aesMethod?: number;
  /**
   * Info-ZIP Unicode Path (0x7075): the UTF-8 name extraction tools (unzip, 7-Zip) use instead of the
   * header name when `nameCrc` matches the CRC-32 of the header name's bytes.
   */
  unicodePath?: { nameCrc: number; name: string };
}

export function parseExtraFields(extra: Uint8Array): ExtraFields {
  const result: ExtraFields = { zip64Fields: [] };
  const data = view(extra);
  let offset = 0;
  while (offset + 4 <= extra.length) {
    const id = data.getUint16(offset, true);
    const size = data.getUint16(offset + 2, true);
    const start = offset + 4;
    if (start + size > extra.length) break;
    if (id === 0x0001) {
      const field = view(extra.subarray(start, start + size));
      result.zip64 ??= field;
      result.zip64Fields.push(field);
    }
    if (id === 0x9901 && size >= 7) result.aesMethod = data.getUint16(start + 5, true);
    if (id === 0x7075 && size >= 5 && extra[start] === 1) {
      result.unicodePath = {
        nameCrc: data.getUint32(start + 1, true),
        name: decodeName(extra.subarray(start + 5, start + size)),
      };
    }
    offset = start + size;
  }
  return result;
}

/** Unix file types in the high 16 bits of the external attributes. */
export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

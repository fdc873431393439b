/**
 * The 7z header (7-Zip's doc/7zFormat.txt, public): property ids, 7z NUMBERs, streams info, files
 * info. Every count is checked against the bytes left, so a hostile header cannot ask for a huge
 * allocation.
 */
import { CorruptDataError, TruncatedDataError } from "../decode/decode-errors.js";

export const SIGNATURE_HEADER_SIZE = 32;

export const PROPERTY = {
  end: 0x00,
  header: 0x01,
  archiveProperties: 0x02,
  additionalStreamsInfo: 0x03,
  mainStreamsInfo: 0x04,
  filesInfo: 0x05,
  packInfo: 0x06,
  unpackInfo: 0x07,
  substreamsInfo: 0x08,
  size: 0x09,
  crc: 0x0a,
  folder: 0x0b,
  codersUnpackSize: 0x0c,
  numUnpackStream: 0x0d,
  emptyStream: 0x0e,
  emptyFile: 0x0f,
  anti: 0x10,
  name: 0x11,
  winAttributes: 0x15,
  encodedHeader: 0x17,
  dummy: 0x19,
} as const;

export interface Coder {
  /** Method id as hex (`21` LZMA2, `030101` LZMA, `06f10701` AES). */
  id: string;
  inStreams: number;
  outStreams: number;
  properties: Uint8Array;
}

export interface Folder {
  coders: Coder[];
  bindPairs: { inIndex: number; outIndex: number }[];
  packedStreams: number[];
  unpackSizes: number[];
}

export interface StreamsInfo {
  packPosition: number;
  packSizes: number[];
  folders: Folder[];
  /** Per folder: how many files' streams it holds, and their sizes in order. */
  substreams: number[][];
}

export interface ArchiveFile {
  name: string;
  hasStream: boolean;
  isDirectory: boolean;
  attributes?: number;
}

export interface Header {
  streams: StreamsInfo | null;
  files: ArchiveFile[];
}

export class HeaderReader {
  position = 0;
  constructor(readonly bytes: Uint8Array) {}

  get left(): number {
    return this.bytes.length - this.position;
  }

  byte(): number {
    if (this.position >= this.bytes.length) throw new TruncatedDataError("7z header cut short");
    return this.bytes[this.position++] as number;
  }

  take(length: number): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.left) {
      throw new TruncatedDataError("7z header field runs past its end");
    }
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }

  /** A 7z NUMBER: leading one bits of the first byte say how many little-endian bytes follow. */
  number(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let index = 0; index < 8; index++) {
      if ((first & mask) === 0) {
        const high = first & (mask - 1);
        value += high * 2 ** (8 * index);
        if (!Number.isSafeInteger(value)) throw new CorruptDataError("7z number is beyond 2^53");
        return value;
      }
      value += this.byte() * 2 ** (8 * index);
      mask >>>= 1;
    }
    if (!Number.isSafeInteger(value)) throw new CorruptDataError("7z number is beyond 2^53");
    return value;
  }

  /** A count of things that each take at least `minimumBytes` of what is left. */
  count(what: string, minimumBytes = 1): number {
    const value = this.number();
    if (value * minimumBytes > this.left + 8)
      throw new CorruptDataError(`7z ${what} count ${value} is impossible here`);
    return value;
  }

  uint32(): number {
    const bytes = this.take(4);
    return (
      ((bytes[0] as number) | ((bytes[1] as number) << 8) | ((bytes[2] as number) << 16)) +
      (bytes[3] as number) * 2 ** 24
    );
  }

  bitVector(length: number): boolean[] {
    const result: boolean[] = [];
    let mask = 0;
    let byte = 0;
    for (let index = 0; index < length; index++) {
      if (mask === 0) {
        byte = this.byte();
        mask = 0x80;
      }
      result.push((byte & mask) !== 0);
      mask >>>= 1;
    }
    return result;
  }

  /** "all defined" byte, then a bit vector when not all are. */
  definedVector(length: number): boolean[] {
    const allDefined = this.byte();
    return allDefined !== 0 ? new Array<boolean>(length).fill(true) : this.bitVector(length);
  }

  expect(property: number): void {
    const found = this.byte();
    if (found !== property) throw new CorruptDataError(`7z header: expected property ${property}, found ${found}`);
  }
}

function skipDigests(reader: HeaderReader, length: number): boolean[] {
  const defined = reader.definedVector(length);
  for (const isDefined of defined) if (isDefined) reader.take(4);
  return defined;
}

function readFolder(reader: HeaderReader): Folder {
  const coderCount = reader.count("coder", 2);
  if (coderCount < 1 || coderCount > 64) throw new CorruptDataError(`7z folder with ${coderCount} coders`);
  const coders: Coder[] = [];
  let totalIn = 0;
  let totalOut = 0;
  for (let index = 0; index < coderCount; index++) {
    const flags = reader.byte();
    if (flags & 0x80) throw new CorruptDataError("7z alternative coder methods are not defined");
    const id = [...reader.take(flags & 0x0f)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    let inStreams = 1;
    let outStreams = 1;
    if (flags & 0x10) {
      inStreams = reader.count("coder input", 0);
      outStreams = reader.count("coder output", 0);
      if (inStreams > 64 || outStreams > 64) throw new CorruptDataError("7z coder with too many streams");
    }
    const properties = flags & 0x20 ? reader.take(reader.number()) : new Uint8Array(0);
    coders.push({ id, inStreams, outStreams, properties });
    totalIn += inStreams;
    totalOut += outStreams;
  }
  if (totalOut < 1) throw new CorruptDataError("7z folder without outputs");
  const bindPairs: Folder["bindPairs"] = [];
  for (let index = 0; index < totalOut - 1; index++) {
    bindPairs.push({ inIndex: reader.number(), outIndex: reader.number() });
  }
  const packedCount = totalIn - bindPairs.length;
  if (packedCount < 1) throw new CorruptDataError("7z folder without packed streams");
  const packedStreams: number[] = [];
  if (packedCount === 1) {
    for (let index = 0; index < totalIn; index++) {
      if (!bindPairs.some((pair) => pair.inIndex === index)) {
        packedStreams.push(index);
        break;
      }
    }
  } else {
    for (let index = 0; index < packedCount; index++) packedStreams.push(reader.number());
  }
  return { coders, bindPairs, packedStreams, unpackSizes: [] };
}

/** The folder's final output: the one output stream no bind pair consumes. */
export function folderUnpackSize(folder: Folder): number {
  for (let index = folder.unpackSizes.length - 1; index >= 0; index--) {
    if (!folder.bindPairs.some((pair) => pair.outIndex === index)) return folder.unpackSizes[index] as number;
  }
  return 0;
}

export function readStreamsInfo(reader: HeaderReader): StreamsInfo {
  const info: StreamsInfo = { packPosition: 0, packSizes: [], folders: [], substreams: [] };
  let folderCrcs: boolean[] = [];
  let property = reader.byte();
  if (property === PROPERTY.packInfo) {
    info.packPosition = reader.number();
    const packCount = reader.count("pack stream");
    for (property = reader.byte(); property !== PROPERTY.end; property = reader.byte()) {
      if (property === PROPERTY.size)
        for (let index = 0; index < packCount; index++) info.packSizes.push(reader.number());
      else if (property === PROPERTY.crc) skipDigests(reader, packCount);
      else throw new CorruptDataError(`7z pack info: unexpected property ${property}`);
    }
    if (info.packSizes.length !== packCount) throw new CorruptDataError("7z pack info without sizes");
    property = reader.byte();
  }
  if (property === PROPERTY.unpackInfo) {
    reader.expect(PROPERTY.folder);
    const folderCount = reader.count("folder", 2);
    if (reader.byte() !== 0) throw new CorruptDataError("7z external folder data is not supported");
    for (let index = 0; index < folderCount; index++) info.folders.push(readFolder(reader));
    reader.expect(PROPERTY.codersUnpackSize);
    for (const folder of info.folders) {
      const outputs = folder.coders.reduce((sum, coder) => sum + coder.outStreams, 0);
      for (let index = 0; index < outputs; index++) folder.unpackSizes.push(reader.number());
    }
    for (property = reader.byte(); property !== PROPERTY.end; property = reader.byte()) {
      if (property === PROPERTY.crc) folderCrcs = skipDigests(reader, folderCount);
      else throw new CorruptDataError(`7z unpack info: unexpected property ${property}`);
    }
    property = reader.byte();
  }
  info.substreams = info.folders.map((folder) => [folderUnpackSize(folder)]);
  if (property === PROPERTY.substreamsInfo) {
    const counts = info.folders.map(() => 1);
    property = reader.byte();
    if (property === PROPERTY.numUnpackStream) {
      for (let index = 0; index < counts.length; index++) counts[index] = reader.count("substream", 0);
      property = reader.byte();
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total > reader.bytes.length * 8 + 1) throw new CorruptDataError("7z substream count is impossible");
    const hasSizes = property === PROPERTY.size;
    info.substreams = info.folders.map((folder, index) => {
      const count = counts[index] as number;
      if (count === 0) return [];
      const sizes: number[] = [];
      let sum = 0;
      for (let stream = 0; stream < count - 1; stream++) {
        const size = hasSizes ? reader.number() : 0;
        sizes.push(size);
        sum += size;
      }
      const last = folderUnpackSize(folder) - sum;
      if (last < 0) throw new CorruptDataError("7z substream sizes exceed their folder");
      sizes.push(last);
      return sizes;
    });
    if (hasSizes) property = reader.byte();
    while (property !== PROPERTY.end) {
      if (property === PROPERTY.crc) {
        // Digests only for streams whose CRC the folder does not already give.
        const unknown = info.substreams.reduce(
          (sum, sizes, index) => sum + (sizes.length === 1 && folderCrcs[index] ? 0 : sizes.length),
          0,
        );
        skipDigests(reader, unknown);
      } else {
        throw new CorruptDataError(`7z substreams info: unexpected property ${property}`);
      }
      property = reader.byte();
    }
    property = reader.byte();
  }
  if (property !== PROPERTY.end) throw new CorruptDataError(`7z streams info: unexpected property ${property}`);
  return info;
}

function readFilesInfo(reader: HeaderReader): ArchiveFile[] {
  const count = reader.count("file", 0);
  if (count > reader.left * 8 + 8) throw new CorruptDataError("7z file count is impossible");
  const files: ArchiveFile[] = Array.from({ length: count }, () => ({ name: "", hasStream: true, isDirectory: false }));
  let emptyStreams: boolean[] = [];
  let emptyFiles: boolean[] = [];
  for (let property = reader.byte(); property !== PROPERTY.end; property = reader.byte()) {
    const size = reader.number();
    const data = new HeaderReader(reader.take(size));
    if (property === PROPERTY.emptyStream) {
      emptyStreams = data.bitVector(count);
    } else if (property === PROPERTY.emptyFile) {
      emptyFiles = data.bitVector(emptyStreams.filter(Boolean).length);
    } else if (property === PROPERTY.name) {
      if (data.byte() !== 0) throw new CorruptDataError("7z external names are not supported");
      const text = new TextDecoder("utf-16le").decode(data.take(data.left - (data.left % 2)));
      const names = text.split("\0");
      for (let index = 0; index < count; index++) (files[index] as ArchiveFile).name = names[index] ?? "";
    } else if (property === PROPERTY.winAttributes) {
      const defined = data.definedVector(count);
      if (data.byte() !== 0) continue;
      for (let index = 0; index < count; index++) {
        if (defined[index]) (files[index] as ArchiveFile).attributes = data.uint32();
      }
    }
  }
  let emptyIndex = 0;
  files.forEach((file, index) => {
    if (!emptyStreams[index]) return;
    file.hasStream = false;
    file.isDirectory = !emptyFiles[emptyIndex];
    emptyIndex++;
  });
  return files;
}

export function readHeader(reader: HeaderReader): Header {
  const header: Header = { streams: null, files: [] };
  for (let property = reader.byte(); property !== PROPERTY.end; property = reader.byte()) {
    if (property === PROPERTY.archiveProperties) {
      for (let type = reader.byte(); type !== PROPERTY.end; type = reader.byte()) reader.take(reader.number());
    } else if (property === PROPERTY.additionalStreamsInfo) {
      readStreamsInfo(reader);
    } else if (property === PROPERTY.mainStreamsInfo) {
      header.streams = readStreamsInfo(reader);
    } else if (property === PROPERTY.filesInfo) {
      header.files = readFilesInfo(reader);
    } else {
      throw new CorruptDataError(`7z header: unexpected property ${property}`);
    }
  }
  return header;
}

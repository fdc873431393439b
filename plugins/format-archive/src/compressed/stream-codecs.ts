import { type AnomalyCode, FORMATS, type Source } from "@modelaudit/core";
import { OutputLimitError } from "../decode/decode-errors.js";
import { type DeflateWrapper, inflateInto } from "../decode/inflate.js";
import type { ByteSink } from "../decode/spill-output.js";
import {
  afterSkippableFrames,
  LZ4_FRAME_MAGIC,
  LZ4_LEGACY_MAGIC,
  LZMA_ALONE_HEADER,
  pickyDictionarySize,
  XZ_MAGIC,
} from "../decode/stream-magic.js";
import { plausibleEmbeddedGzip, plausibleEmbeddedLz4, plausibleEmbeddedZstd } from "./embedded-sniff.js";
import { looksLikeZlib } from "./zlib-sniff.js";

export interface StreamInput {
  source: Source;
  /** The whole compressed stream, for codecs that read their input from memory (`wholeInput`); null for the rest. */
  bytes: Uint8Array | null;
  tick: () => void;
  /** Reports a structural problem the decoder saw (a parser differential, padding) as an anomaly. */
  anomaly: (code: AnomalyCode, message: string, offset?: number) => void;
}

/**
 * A whole-file compression codec. Every one only appends to its output (LZ codecs through a
 * `WindowedOutput` that keeps their match window), so the output streams past memory to a file.
 */
export interface StreamCodec {
  /** Handler id and format label. */
  id: string;
  label: string;
  /**
   * The codec reads its whole compressed input from memory (bounded by the in-memory limit), while
   * its output streams; without it the input is read in chunks.
   */
  wholeInput?: boolean;
  /**
   * Prefixes one of which starts every stream `sniff` accepts, so `identify` can find the stream
   * embedded at any offset. Absent where the format has none worth searching for.
   */
  magic?: readonly Uint8Array[];
  /** `embedded`: the bytes were found inside other data (see `SniffInput.embedded`): claim them only on strong evidence. */
  sniff(head: Uint8Array, embedded: boolean, size: number): boolean;
  /** Decodes into `output`; returns the offset where the compressed data ended, when known. */
  decode(input: StreamInput, output: ByteSink): Promise<number | null> | number | null;
}

const READ_CHUNK = 1024 * 1024;

/** Reads a source in chunks, so a large gzip never sits in memory compressed and decompressed. */
export async function* sourceChunks(
  source: Source,
  start: number,
  length: number,
  tick?: () => void,
): AsyncGenerator<Uint8Array> {
  const end = Math.min(source.size, start + length);
  for (let offset = start; offset < end; offset += READ_CHUNK) {
    tick?.();
    const chunk = await source.read(offset, Math.min(READ_CHUNK, end - offset));
    if (chunk.length === 0) return;
    yield chunk;
  }
}

/** Runs of NUL padding between gzip members that are followed: each starts a new zlib stream. */
const GZIP_PADDED_MEMBERS_MAX = 1024;
const NUL_SCAN = 64 * 1024;

/**
 * gzip members as Python's gzip reads them (gzip.open, joblib, pandas, tarfile's "r:gz"): after each
 * member, NUL bytes are skipped and another member is read if one follows. node:zlib and GNU gzip stop
 * at the padding ("trailing garbage ignored"), so a member after it is a parser differential. Returns
 * where the last member read ends (the file's end when only NULs follow it).
 */
async function inflateGzipMembers(input: StreamInput, output: ByteSink): Promise<number> {
  const { source } = input;
  let start = 0;
  for (let runs = 0; ; runs++) {
    const consumed = await inflateInto(sourceChunks(source, start, source.size - start, input.tick), "gzip", output);
    const end = start + consumed;
    if (consumed <= 0 || end >= source.size) return Math.min(end, source.size);
    const next = await skipNuls(input, end);
    if (next >= source.size) return source.size; // zero padding to the end: harmless, as gzip and Python read it
    const magic = await source.read(next, 3);
    if (next === end || !GZIP_MAGIC.every((byte, index) => magic[index] === byte)) return next;
    if (runs >= GZIP_PADDED_MEMBERS_MAX) {
      throw new OutputLimitError(`more than ${GZIP_PADDED_MEMBERS_MAX} runs of zero padding between gzip members`);
    }
    input.anomaly(
      "parser-differential",
      `${next - end} zero bytes after the gzip member ending at ${end}, then another member at ${next}: Python's gzip (gzip.open, joblib, tarfile) skips the padding and reads it; GNU gzip and node:zlib stop there ("trailing garbage ignored")`,
      end,
    );
    start = next;
  }
}

/** The first offset at or after `from` that holds a non-zero byte (the source size when there is none). */
async function skipNuls(input: StreamInput, from: number): Promise<number> {
  for (let offset = from; offset < input.source.size; offset += NUL_SCAN) {
    input.tick();
    const chunk = await input.source.read(offset, NUL_SCAN);
    if (chunk.length === 0) break;
    const index = chunk.findIndex((byte) => byte !== 0);
    if (index >= 0) return offset + index;
  }
  return input.source.size;
}

async function inflateWhole(input: StreamInput, output: ByteSink, wrapper: DeflateWrapper): Promise<null> {
  await inflateInto(sourceChunks(input.source, 0, input.source.size, input.tick), wrapper, output);
  return null;
}

/** "ZF" + `hex(length).ljust(19)` as joblib's write_zfile writes it (read back with `int(..., 16)`). */
/**
 * joblib < 0.9.3's "ZF" header: "ZF" and 19 characters that Python's `int(x, 16)` reads as the length
 * (read_zfile): surrounding whitespace, a sign, a 0x prefix and single underscores between digits
 * (PEP 515) are all accepted there.
 */
const ZFILE_HEADER = /^ZF[ \t\n\r\v\f]*[+-]?(?:0[xX]_?)?[0-9a-fA-F](?:_?[0-9a-fA-F])*[ \t\n\r\v\f]*$/;
const ZFILE_HEADER_LENGTH = 21;

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
}

// The decoders other than inflate are imported on the first stream of their codec, not at start-up.
const decoders = () => import("./stream-decoders.js");

const GZIP_MAGIC = [0x1f, 0x8b, 0x08] as const; // ID1 ID2 and CM = deflate, the only method defined
const BZIP2_MAGIC = [0x42, 0x5a, 0x68] as const; // "BZh"
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

export const STREAM_CODECS: readonly StreamCodec[] = [
  {
    id: FORMATS.gzip,
    label: FORMATS.gzip,
    magic: [Uint8Array.from(GZIP_MAGIC)],
    sniff: (head, embedded) => startsWith(head, GZIP_MAGIC) && (!embedded || plausibleEmbeddedGzip(head)),
    decode: (input, output) => inflateGzipMembers(input, output),
  },
  {
    // joblib < 0.10 ("compat" format, still loaded by joblib.load): "ZF", the decompressed length in
    // hex padded to 19 characters, an optional space, then a zlib stream.
    id: FORMATS.joblibZfile,
    label: "joblib ZF",
    magic: [Uint8Array.of(0x5a, 0x46)], // "ZF"
    sniff: (head) => ZFILE_HEADER.test(latin1(head.subarray(0, ZFILE_HEADER_LENGTH))),
    decode: async (input, output) => {
      const head = await input.source.read(0, ZFILE_HEADER_LENGTH + 1);
      const start = head[ZFILE_HEADER_LENGTH] === 0x20 ? ZFILE_HEADER_LENGTH + 1 : ZFILE_HEADER_LENGTH;
      await inflateInto(sourceChunks(input.source, start, input.source.size - start, input.tick), "zlib", output);
      return null;
    },
  },
  {
    id: FORMATS.zlib,
    label: FORMATS.zlib,
    // No magic: its first byte (0x78) is one byte in 256 of random data, and each sniff is a trial
    // inflate; identify would spend its whole candidate budget here.
    sniff: looksLikeZlib,
    decode: (input, output) => inflateWhole(input, output, "zlib"),
  },
  {
    id: FORMATS.bzip2,
    label: FORMATS.bzip2,
    // Blocks are independent: the output streams; the input is read whole.
    wholeInput: true,
    magic: [Uint8Array.from(BZIP2_MAGIC)],
    // "BZh" + block size digit + the first block's (or the end-of-stream) magic.
    sniff: (head) =>
      startsWith(head, BZIP2_MAGIC) &&
      (head[3] as number) >= 0x31 &&
      (head[3] as number) <= 0x39 &&
      (startsWith(head.subarray(4), [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) ||
        startsWith(head.subarray(4), [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])),
    decode: async (input, output) => (await decoders()).decodeBzip2Stream(input, output),
  },
  {
    id: FORMATS.xz,
    label: FORMATS.xz,
    wholeInput: true,
    magic: [Uint8Array.from(XZ_MAGIC)],
    sniff: (head) => startsWith(head, XZ_MAGIC),
    decode: async (input, output) => (await decoders()).decodeLzmaFileStream(input, output),
  },
  {
    id: FORMATS.lzma,
    label: "LZMA-alone",
    wholeInput: true,
    // No magic: one properties byte (0x5d), see looksLikeLzmaAlone.
    sniff: looksLikeLzmaAlone,
    decode: async (input, output) => (await decoders()).decodeLzmaFileStream(input, output),
  },
  {
    id: FORMATS.zstd,
    label: FORMATS.zstd,
    // fzstd keeps its own window: input and output both stream.
    magic: [Uint8Array.from(ZSTD_MAGIC)],
    sniff: (head, embedded, size) =>
      (startsWith(head, ZSTD_MAGIC) && (!embedded || plausibleEmbeddedZstd(head))) ||
      (!embedded && afterSkippable(head, size, "zstd")),
    decode: async (input, output) => (await decoders()).decodeZstdStream(input, output),
  },
  {
    id: FORMATS.lz4,
    label: FORMATS.lz4,
    // Matches reach 64 KiB back: only that window stays in memory, the output streams.
    wholeInput: true,
    magic: [Uint8Array.from(LZ4_FRAME_MAGIC)],
    // Frame magic plus a descriptor whose version bits are 01; or a legacy frame (lz4 -l).
    sniff: (head, embedded, size) =>
      (startsWith(head, LZ4_FRAME_MAGIC) &&
        head.length > 4 &&
        (head[4] as number) >> 6 === 1 &&
        (!embedded || plausibleEmbeddedLz4(head))) ||
      (!embedded && (looksLikeLz4Legacy(head, size) || afterSkippable(head, size, "lz4"))),
    decode: async (input, output) => (await decoders()).decodeLz4Stream(input, output),
  },
];

/** Largest compressed legacy block: LZ4_compressBound(8 MiB). */
const LZ4_LEGACY_BLOCK_BOUND = 8 * 1024 * 1024 + Math.floor((8 * 1024 * 1024) / 255) + 16;

/** An LZ4 legacy frame: its magic, then a first block size that is non-zero, within the bound and the file. */
function looksLikeLz4Legacy(head: Uint8Array, size: number): boolean {
  if (head.length < 8 || !startsWith(head, LZ4_LEGACY_MAGIC)) return false;
  const block = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true);
  return block > 0 && block <= LZ4_LEGACY_BLOCK_BOUND && 8 + block <= size;
}

/**
 * A stream that opens with skippable frames, claimed by the codec whose frame follows them. When that
 * frame lies past the sniffed head, zstd claims it (fzstd skips the frames itself; an LZ4 frame
 * there then fails to decode, inconclusive rather than clean).
 */
function afterSkippable(head: Uint8Array, size: number, codec: "zstd" | "lz4"): boolean {
  const after = afterSkippableFrames(head, size);
  if (after === null) return false;
  const { next } = after;
  if (next === null) return codec === "zstd";
  if (codec === "zstd") return startsWith(next, ZSTD_MAGIC);
  return startsWith(next, LZ4_FRAME_MAGIC) || startsWith(next, LZ4_LEGACY_MAGIC);
}

/**
 * LZMA-alone has no magic. What Python's lzma (FORMAT_ALONE, used by joblib) and xz-utils write:
 * properties byte 0x5D (lc=3 lp=0 pb=2), a dictionary size liblzma's auto decoder accepts (see
 * pickyDictionary), a size that is "unknown" or below 2^48, and a range coder whose first byte is
 * always zero.
 */
export function looksLikeLzmaAlone(head: Uint8Array): boolean {
  if (head.length < LZMA_ALONE_HEADER + 5 || head[0] !== 0x5d) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dictionary = view.getUint32(1, true);
  if (!pickyDictionarySize(dictionary)) return false;
  const sizeLow = view.getUint32(5, true);
  const sizeHigh = view.getUint32(9, true);
  const unknown = sizeLow === 0xffffffff && sizeHigh === 0xffffffff;
  if (!unknown && sizeHigh >= 0x10000) return false;
  return head[LZMA_ALONE_HEADER] === 0x00;
}

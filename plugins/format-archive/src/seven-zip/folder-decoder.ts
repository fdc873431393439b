import type { ParseContext } from "@modelaudit/core";
import { outputBounds } from "../decode/bounds.js";
import { decodeBzip2 } from "../decode/bzip2-decoder.js";
import { CorruptDataError, TruncatedDataError, UnsupportedFeatureError } from "../decode/decode-errors.js";
import { inflateInto } from "../decode/inflate.js";
import { LzmaDecoder, parsePropertiesByte } from "../decode/lzma-decoder.js";
import { decodeLzma2 } from "../decode/lzma2-decoder.js";
import type { OutputBuffer } from "../decode/output-buffer.js";
import { RangeDecoder } from "../decode/range-decoder.js";
import { type DecodeOutcome, runDecoder } from "../decode/run-decoder.js";
import { applySevenZipFilter, isSupportedSevenZipFilter } from "../decode/simple-filters.js";
import { decodeZstd } from "../decode/zstd-decoder.js";
import { type Coder, folderUnpackSize, SIGNATURE_HEADER_SIZE, type StreamsInfo } from "./seven-zip-header.js";

export const AES_CODER = "06f10701";

const CODER_NAMES: Record<string, string> = {
  "00": "copy",
  "21": "LZMA2",
  "030101": "LZMA",
  "040108": "deflate",
  "040109": "deflate64",
  "040202": "bzip2",
  "030401": "PPMd",
  "03030103": "BCJ x86",
  "0303011b": "BCJ2",
  "03030205": "BCJ PowerPC",
  "03030401": "BCJ IA-64",
  "03030501": "BCJ ARM",
  "03030701": "BCJ ARM-Thumb",
  "03030805": "BCJ SPARC",
  "0a": "BCJ ARM64",
  "0b": "BCJ RISC-V",
  "03": "delta",
  "04f71101": "zstd",
  [AES_CODER]: "AES-256",
};

export function coderName(id: string): string {
  return CODER_NAMES[id] ?? `coder 0x${id}`;
}

/** The coders of a folder in decoding order (packed stream first), or why they cannot be decoded. */
export function folderChain(streams: StreamsInfo, folderIndex: number): { order: number[] } | { refusal: string } {
  const folder = streams.folders[folderIndex];
  if (!folder) return { refusal: "folder missing" };
  if (folder.coders.some((coder) => coder.id === AES_CODER)) return { refusal: "encrypted (AES)" };
  const names = folder.coders.map((coder) => coderName(coder.id)).join(" + ");
  // Only simple chains: every coder one in, one out, one packed stream feeding the first.
  if (
    folder.coders.some((coder) => coder.inStreams !== 1 || coder.outStreams !== 1) ||
    folder.packedStreams.length !== 1
  ) {
    return { refusal: `coder graph ${names} is not supported` };
  }
  const order: number[] = [];
  let current = folder.packedStreams[0] as number;
  for (let step = 0; step < folder.coders.length; step++) {
    if (current < 0 || current >= folder.coders.length || order.includes(current)) {
      return { refusal: `coder graph ${names} is malformed` };
    }
    order.push(current);
    const pair = folder.bindPairs.find((candidate) => candidate.outIndex === current);
    if (!pair) break;
    current = pair.inIndex;
  }
  if (order.length !== folder.coders.length) return { refusal: `coder graph ${names} is malformed` };
  const [first, ...rest] = order.map((index) => folder.coders[index]?.id ?? "");
  if (!first || !(first in DECODERS)) return { refusal: `${coderName(first ?? "")} compression is not supported` };
  const unsupported = rest.find((id) => !isSupportedSevenZipFilter(id));
  if (unsupported !== undefined) return { refusal: `${coderName(unsupported)} filter is not supported` };
  return { order };
}

/** Why a folder cannot be decoded, before reading its data, or null when it can be tried. */
export function folderRefusal(_context: ParseContext, streams: StreamsInfo, folderIndex: number): string | null {
  const chain = folderChain(streams, folderIndex);
  return "refusal" in chain ? chain.refusal : null;
}

function packLocation(streams: StreamsInfo, folderIndex: number): { offset: number; size: number } {
  let packIndex = 0;
  for (let index = 0; index < folderIndex; index++) packIndex += streams.folders[index]?.packedStreams.length ?? 0;
  let offset = SIGNATURE_HEADER_SIZE + streams.packPosition;
  for (let index = 0; index < packIndex; index++) offset += streams.packSizes[index] ?? 0;
  const size = streams.packSizes[packIndex];
  if (size === undefined) throw new CorruptDataError("7z folder has no pack stream");
  return { offset, size };
}

type FolderDecoder = (
  input: Uint8Array,
  properties: Uint8Array,
  unpackSize: number,
  output: OutputBuffer,
  tick: () => void,
) => Promise<void> | void;

const DECODERS: Record<string, FolderDecoder> = {
  "00": (input, _properties, _size, output) => output.append(input),
  "21": (input, _properties, _size, output, tick) => void decodeLzma2(input, 0, output, tick),
  "030101": (input, properties, size, output, tick) => {
    if (properties.length < 1) throw new CorruptDataError("7z LZMA coder without properties");
    const decoder = new LzmaDecoder(output, parsePropertiesByte(properties[0] as number));
    decoder.decode(new RangeDecoder(input, 0), size, true, tick);
  },
  "040108": async (input, _properties, _size, output) => {
    await inflateInto([input], "raw", output);
  },
  "040202": (input, _properties, _size, output, tick) => void decodeBzip2(input, output, tick),
  "04f71101": (input, _properties, _size, output, tick) => {
    if (!decodeZstd(input, output, tick)) throw new TruncatedDataError("7z zstd data ended early");
  },
};

/**
 * Decodes one folder (a solid block holding one or more files) after checking its declared sizes
 * against the limits, so an oversized member is refused before any byte is decoded.
 */
export async function decodeFolder(
  context: ParseContext,
  streams: StreamsInfo,
  folderIndex: number,
): Promise<DecodeOutcome> {
  const chain = folderChain(streams, folderIndex);
  if ("refusal" in chain) throw new UnsupportedFeatureError(chain.refusal);
  const folder = streams.folders[folderIndex];
  const [firstIndex, ...filterIndexes] = chain.order;
  const coder = folder?.coders[firstIndex as number];
  if (!folder || !coder) throw new UnsupportedFeatureError("folder missing");
  const { offset, size } = packLocation(streams, folderIndex);
  const unpackSize = folderUnpackSize(folder);
  const firstSize = folder.unpackSizes[firstIndex as number] ?? unpackSize;
  const bounds = outputBounds(context, size, unpackSize);
  if (unpackSize > bounds.maxBytes) {
    throw new UnsupportedFeatureError(
      `declares ${unpackSize} bytes, over the bound of ${bounds.maxBytes} (${bounds.reason})`,
    );
  }
  if (size > context.limits.maxInMemoryBytes) {
    throw new UnsupportedFeatureError(`packed stream of ${size} bytes is over the in-memory limit`);
  }
  const input = await context.source.read(Math.min(offset, context.source.size), size);
  const decoder = DECODERS[coder.id] as FolderDecoder;
  const outcome = await runDecoder(bounds, async (output) => {
    await decoder(input, coder.properties, firstSize, output, () => context.checkDeadline());
    if (input.length < size) throw new TruncatedDataError("7z packed stream runs past the end of the file");
  });
  for (const index of filterIndexes) {
    const filter = folder.coders[index] as Coder;
    applySevenZipFilter(filter.id, filter.properties, outcome.bytes);
  }
  return outcome;
}

import { type ParseContext, SliceSource, type Source, TimeLimitError } from "@modelaudit/core";
import { sourceChunks } from "../compressed/stream-codecs.js";
import { outputBounds } from "../decode/bounds.js";
import { decodeBzip2 } from "../decode/bzip2-decoder.js";
import { TruncatedDataError, UnsupportedFeatureError } from "../decode/decode-errors.js";
import { inflateInto } from "../decode/inflate.js";
import { LzmaDecoder, parsePropertiesByte } from "../decode/lzma-decoder.js";
import type { OutputBuffer } from "../decode/output-buffer.js";
import { RangeDecoder } from "../decode/range-decoder.js";
import { type DecodeOutcome, runDecoder } from "../decode/run-decoder.js";
import { decodeXz } from "../decode/xz-decoder.js";
import { decodeZstd } from "../decode/zstd-decoder.js";
import { methodName } from "./zip-records.js";

/** Where a member's compressed bytes are and how they are encoded. */
export interface MemberData {
  name: string;
  method: number;
  dataStart: number;
  /** Compressed bytes that exist in the file (may be fewer than declared when truncated). */
  available: number;
  compressedSize: number;
  size: number;
}

/** Stored members become a window of the parent: zero copy, however large. */
export function storedMember(context: ParseContext, member: MemberData): Source {
  return new SliceSource(member.name, context.source, member.dataStart, member.available);
}

/** Decodes a compressed member into memory under the bounds; null when the method is unsupported. */
export async function decodeMember(context: ParseContext, member: MemberData): Promise<DecodeOutcome | null> {
  const { source } = context;
  const bounds = outputBounds(context, member.compressedSize, Math.min(member.size, context.limits.maxInMemoryBytes));
  const tick = (): void => context.checkDeadline();
  if (member.method === 8) {
    return runDecoder(bounds, async (output) => {
      await inflateInto(sourceChunks(source, member.dataStart, member.available, tick), "raw", output);
    });
  }
  const inMemory = IN_MEMORY_METHODS[member.method];
  if (!inMemory) return null;
  return runDecoder(bounds, async (output) => {
    if (member.available > context.limits.maxInMemoryBytes) {
      throw new UnsupportedFeatureError(
        `${member.name}: ${methodName(member.method)} member of ${member.available} compressed bytes is over the in-memory limit`,
      );
    }
    const input = await source.read(member.dataStart, member.available);
    inMemory(input, output, tick);
  });
}

/** Zip's LZMA (method 14): a 2-byte version, a 2-byte properties size, the 5 properties bytes, data. */
function decodeZipLzma(input: Uint8Array, output: OutputBuffer, tick: () => void): void {
  if (input.length < 9) throw new TruncatedDataError("zip LZMA header cut short");
  const propertiesSize = input[2]! | (input[3]! << 8);
  if (propertiesSize < 5 || 4 + propertiesSize > input.length)
    throw new TruncatedDataError("zip LZMA properties cut short");
  const decoder = new LzmaDecoder(output, parsePropertiesByte(input[4]!));
  decoder.decode(new RangeDecoder(input, 4 + propertiesSize), null, true, tick);
}

const IN_MEMORY_METHODS: Record<number, (input: Uint8Array, output: OutputBuffer, tick: () => void) => void> = {
  12: (input, output, tick) => void decodeBzip2(input, output, tick),
  14: decodeZipLzma,
  93: (input, output, tick) => {
    if (!decodeZstd(input, output, tick)) throw new TruncatedDataError("zstd data ended before its last frame");
  },
  95: (input, output, tick) => void decodeXz(input, output, tick),
};

export function isTimeLimit(error: unknown): boolean {
  return TimeLimitError.isInstance(error);
}

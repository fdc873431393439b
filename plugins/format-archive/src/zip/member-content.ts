import { type ParseContext, SliceSource, type Source, TimeLimitError } from "@modelaudit/core";
import { sourceChunks } from "../compressed/stream-codecs.js";
import { outputBounds } from "../decode/bounds.js";
import { UnsupportedFeatureError } from "../decode/decode-errors.js";
import { inflateInto } from "../decode/inflate.js";
import { type DecodeOutcome, runDecoder } from "../decode/run-decoder.js";
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
  // The other methods' decoders (bzip2, LZMA, zstd, xz) are imported on the first such member, not at start-up.
  const inMemory = (await import("./rare-methods.js")).IN_MEMORY_METHODS[member.method];
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

export function isTimeLimit(error: unknown): boolean {
  return TimeLimitError.isInstance(error);
}

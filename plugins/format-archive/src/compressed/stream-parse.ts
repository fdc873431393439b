import { type AnomalyCode, type ParseContext, type Source, TimeLimitError } from "@modelaudit/core";
import { readAll } from "@modelaudit/core/format";
import { streamedOutputBounds } from "../decode/bounds.js";
import { classify, type DecodeProblem } from "../decode/run-decoder.js";
import { SPILL_BYTES, SpillOutput } from "../decode/spill-output.js";
import type { StreamCodec } from "./stream-codecs.js";
import { decompressedName } from "./stream-handler.js";

/**
 * Decodes with the stream's bounds (compression ratio, artifact budget, deadline): the output goes
 * to memory, then past `SPILL_BYTES` (or the in-memory limit, when lower) to a temporary file, so the
 * inner tar or pickle is never whole in memory, and is scanned from there; the file is removed once
 * the child's scan has ended.
 */
export async function parseStream(context: ParseContext, codec: StreamCodec): Promise<void> {
  const { source } = context;
  let bytes: Uint8Array | null = null;
  if (codec.wholeInput) {
    bytes = await readWholeInput(context, codec);
    if (!bytes) return;
  }
  const held = Math.min(SPILL_BYTES, context.limits.maxInMemoryBytes);
  const output = new SpillOutput(streamedOutputBounds(context, source.size), held);
  try {
    let end: number | null = null;
    let problem: DecodeProblem | undefined;
    try {
      const anomaly = (code: AnomalyCode, message: string, offset?: number) =>
        context.emit({
          kind: "anomaly",
          code,
          message: `${codec.label}: ${message}`,
          ...(offset === undefined ? {} : { location: { offset } }),
        });
      end = await codec.decode({ source, bytes, tick: () => context.checkDeadline(), anomaly }, output);
    } catch (error) {
      if (TimeLimitError.isInstance(error)) throw error;
      problem = classify(error);
    }
    let child: Source;
    try {
      child = output.finish(childName(context));
    } catch (error) {
      // Charging the last bytes can pass the artifact budget: a prefix still deserves a scan.
      if (TimeLimitError.isInstance(error)) throw error;
      problem ??= classify(error);
      child = output.finish(childName(context));
    }
    reportEnd(context, codec, problem, end);
    if (output.length === 0 && problem) return;
    await context.scanChild(child.name, child);
  } finally {
    output.dispose();
  }
}

/** The whole compressed stream, or null (and the source inconclusive) past the in-memory limit. */
async function readWholeInput(context: ParseContext, codec: StreamCodec): Promise<Uint8Array | null> {
  const { source, limits } = context;
  if (source.size > limits.maxInMemoryBytes) {
    context.inconclusive(
      `${codec.label} stream of ${source.size} bytes is over the in-memory limit of ${limits.maxInMemoryBytes}; not decoded`,
    );
    return null;
  }
  return readAll(source, limits.maxInMemoryBytes);
}

/** A decoding problem as an anomaly and an inconclusive reason; bytes after the stream's end as an anomaly. */
function reportEnd(context: ParseContext, codec: StreamCodec, problem: DecodeProblem | undefined, end: number | null) {
  const { source } = context;
  if (problem) {
    if (problem.anomaly) {
      context.emit({ kind: "anomaly", code: problem.anomaly, message: `${codec.label}: ${problem.reason}` });
    }
    context.inconclusive(`${codec.label} stream: ${problem.reason}`);
  } else if (end !== null && end < source.size) {
    context.emit({
      kind: "anomaly",
      code: "trailing-data",
      message: `${source.size - end} bytes after the end of the ${codec.label} stream`,
      location: { offset: end },
    });
  }
}

function childName(context: ParseContext): string {
  return decompressedName(context.memberChain.at(-1) ?? context.file);
}

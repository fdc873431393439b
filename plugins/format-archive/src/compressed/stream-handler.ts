import { BufferSource, type FormatHandler, type ParseContext } from "@modelaudit/core";
import { readAll } from "@modelaudit/core/format";
import { outputBounds } from "../decode/bounds.js";
import { runDecoder } from "../decode/run-decoder.js";
import type { StreamCodec } from "./stream-codecs.js";

/** The child's name: the stream's name without its last extension (`model.pkl.gz` → `model.pkl`). */
export function decompressedName(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : "";
  return stem || "decompressed";
}

/** A handler for one whole-file compression codec: decode with bounds, then scan what came out. */
export function createStreamHandler(codec: StreamCodec): FormatHandler {
  return {
    id: codec.id,
    description: `${codec.label} compressed stream (decoded with bounds; the content is scanned as a nested source)`,
    magic: codec.magic,
    sniff: (input) => codec.sniff(input.head, input.embedded === true),
    parse: (context) => parseStream(context, codec),
  };
}

async function parseStream(context: ParseContext, codec: StreamCodec): Promise<void> {
  const { source, limits } = context;
  let bytes: Uint8Array | null = null;
  if (codec.inMemory) {
    if (source.size > limits.maxInMemoryBytes) {
      context.inconclusive(
        `${codec.label} stream of ${source.size} bytes is over the in-memory limit of ${limits.maxInMemoryBytes}; not decoded`,
      );
      return;
    }
    bytes = await readAll(source, limits.maxInMemoryBytes);
  }
  let end: number | null = null;
  const outcome = await runDecoder(outputBounds(context, source.size), async (output) => {
    end = await codec.decode({ source, bytes, tick: () => context.checkDeadline() }, output);
  });
  if (outcome.problem) {
    if (outcome.problem.anomaly) {
      context.emit({
        kind: "anomaly",
        code: outcome.problem.anomaly,
        message: `${codec.label}: ${outcome.problem.reason}`,
      });
    }
    context.inconclusive(`${codec.label} stream: ${outcome.problem.reason}`);
  } else if (end !== null && end < source.size) {
    context.emit({
      kind: "anomaly",
      code: "trailing-data",
      message: `${source.size - end} bytes after the end of the ${codec.label} stream`,
      location: { offset: end },
    });
  }
  if (outcome.bytes.length === 0 && outcome.problem) return;
  const name = decompressedName(context.memberChain.at(-1) ?? context.file);
  await context.scanChild(name, new BufferSource(name, outcome.bytes));
}

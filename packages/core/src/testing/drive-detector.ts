import { PrintableStringExtractor } from "../engine/printable-strings.js";
import type { Registry } from "../engine/registry.js";
import { identifyBytes } from "../engine/sniff.js";
import { matchesSubscription } from "../engine/tensor-channel.js";
import { TensorFeed } from "../engine/tensor-feed.js";
import type { Fact, TensorFact } from "../facts.js";
import type { Detector, FormatHandler, Origin, ReportInput, ScanLevel } from "../plugin.js";

/** The origin `driveDetector` gives the first byte source and every fact. */
export const TEST_ORIGIN: Origin = { file: "model.bin", memberChain: [], formats: [] };

/**
 * Drives one detector without the engine, in the engine's order (the facts, then each byte source
 * in chunks, with its printable strings, then each tensor's data, then finish) and returns what it
 * reported: for fast, table-driven detector tests. Byte sources after the first are members
 * `member-<n>` of the file. `identifyWith` gives `identify` the sniffers of these handlers.
 */
export function driveDetector(
  detector: Detector,
  input: {
    facts?: readonly Fact[];
    sources?: readonly Uint8Array[];
    /**
     * Tensors whose data (in the fact's byte order) goes through the tensor channel's alignment,
     * offered when the detector's subscription takes them. Levels are not checked here.
     */
    tensors?: readonly { fact: TensorFact; bytes: Uint8Array }[];
    options?: Record<string, unknown>;
    chunkSize?: number;
    level?: ScanLevel;
    identifyWith?: readonly FormatHandler[];
  } = {},
): ReportInput[] {
  const reports: ReportInput[] = [];
  const failures: unknown[] = [];
  const chunkSize = input.chunkSize ?? 4 * 1024 * 1024;
  const registry = { handlers: [...(input.identifyWith ?? [])] } as unknown as Registry;
  const run = detector.create({
    report: (report) => reports.push(report),
    inconclusive: () => undefined,
    options: input.options ?? {},
    level: input.level ?? "standard",
    identify: (bytes, options) => identifyBytes(registry, bytes, options),
  });
  // As the engine does: a source's facts come from parsing it, then its bytes stream past.
  for (const fact of input.facts ?? []) run.onFact?.(fact, TEST_ORIGIN);
  for (const [index, bytes] of (input.sources ?? []).entries()) {
    const origin: Origin = index === 0 ? TEST_ORIGIN : { ...TEST_ORIGIN, memberChain: [`member-${index}`] };
    const strings = detector.strings ? new PrintableStringExtractor((run_) => run.onString?.(run_, origin)) : null;
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      const chunk = bytes.subarray(offset, offset + chunkSize);
      if (detector.bytes) run.onBytes?.(chunk, offset, origin);
      strings?.push(chunk, offset);
    }
    strings?.end();
    if (detector.bytes) run.onBytesEnd?.(origin);
  }
  for (const { fact, bytes } of input.tensors ?? []) {
    if (!detector.tensors || !matchesSubscription(detector.tensors, fact)) continue;
    const feed = new TensorFeed(fact, TEST_ORIGIN, TEST_ORIGIN, 0, bytes.length, (error) => failures.push(error));
    // As the engine does: the consumer is asked for when the data starts.
    feed.openWith(() => {
      const consumer = run.onTensor?.(feed);
      if (consumer) feed.addConsumer(consumer, (error) => failures.push(error));
    });
    for (let offset = 0; offset < bytes.length; offset += chunkSize)
      feed.push(bytes.subarray(offset, offset + chunkSize));
    feed.end();
  }
  if (failures.length > 0) throw failures[0];
  run.finish?.({ file: TEST_ORIGIN.file, size: 0, sha256: null, formats: [] });
  return reports;
}

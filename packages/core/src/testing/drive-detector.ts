import type { Fact } from "../facts.js";
import type { Detector, Origin, ReportInput, ScanLevel } from "../plugin.js";

/** The origin `driveDetector` gives the first byte source and every fact. */
export const TEST_ORIGIN: Origin = { file: "model.bin", memberChain: [], formats: [] };

/**
 * Drives one detector without the engine, in the engine's order (the facts, then each byte source
 * in chunks, then finish) and returns what it reported: for fast, table-driven detector tests.
 * Byte sources after the first are members `member-<n>` of the file.
 */
export function driveDetector(
  detector: Detector,
  input: {
    facts?: readonly Fact[];
    sources?: readonly Uint8Array[];
    options?: Record<string, unknown>;
    chunkSize?: number;
    level?: ScanLevel;
  } = {},
): ReportInput[] {
  const reports: ReportInput[] = [];
  const chunkSize = input.chunkSize ?? 4 * 1024 * 1024;
  const run = detector.create({
    report: (report) => reports.push(report),
    inconclusive: () => undefined,
    options: input.options ?? {},
    level: input.level ?? "standard",
    identify: () => [],
  });
  // As the engine does: a source's facts come from parsing it, then its bytes stream past.
  for (const fact of input.facts ?? []) run.onFact?.(fact, TEST_ORIGIN);
  for (const [index, bytes] of (input.sources ?? []).entries()) {
    const origin: Origin = index === 0 ? TEST_ORIGIN : { ...TEST_ORIGIN, memberChain: [`member-${index}`] };
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      run.onBytes?.(bytes.subarray(offset, offset + chunkSize), offset, origin);
    }
    run.onBytesEnd?.(origin);
  }
  run.finish?.({ file: TEST_ORIGIN.file, size: 0, sha256: null, formats: [] });
  return reports;
}

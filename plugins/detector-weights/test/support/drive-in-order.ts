import type { Detector, Fact, Origin, ReportInput, ScanLevel } from "@modelaudit/core";
import { TEST_ORIGIN } from "@modelaudit/core/testing";

/**
 * Drives a detector in the engine's order for one source: its facts (emitted while parsing), then
 * its bytes in chunks of `chunkSize`, then the end of the stream and finish. `driveDetector` from
 * core/testing hands bytes before facts, which a detector matching tensor facts to bytes cannot use.
 */
export function driveInOrder(
  detector: Detector,
  input: { facts: readonly Fact[]; bytes: Uint8Array; chunkSize: number; level?: ScanLevel; origin?: Origin },
): ReportInput[] {
  const reports: ReportInput[] = [];
  const origin = input.origin ?? TEST_ORIGIN;
  const run = detector.create({
    report: (report) => reports.push(report),
    inconclusive: () => undefined,
    options: {},
    level: input.level ?? "thorough",
  });
  for (const fact of input.facts) run.onFact?.(fact, origin);
  for (let offset = 0; offset < input.bytes.length; offset += input.chunkSize) {
    run.onBytes?.(input.bytes.subarray(offset, offset + input.chunkSize), offset, origin);
  }
  run.onBytesEnd?.(origin);
  run.finish?.({ file: origin.file, size: input.bytes.length, sha256: null, formats: [] });
  return reports;
}

import type { Fact, Origin, ReportInput } from "@modelaudit/core";
import plugin from "../../src/index.js";

export const ORIGIN: Origin = { file: "model.bin", memberChain: [], formats: [] };

/**
 * Drives the detector as the engine does (bytes of each source, then facts, then finish) and returns
 * what it reported. Byte sources are cut into `chunkSize` chunks.
 */
export function runDetector(
  facts: Fact[],
  sources: Uint8Array[] = [],
  options: Record<string, unknown> = {},
  chunkSize = 4 * 1024 * 1024,
): ReportInput[] {
  const reports: ReportInput[] = [];
  const detector = plugin.detectors[0]!;
  const run = detector.create({ report: (input) => reports.push(input), options, level: "thorough" });
  for (const [index, bytes] of sources.entries()) {
    const origin: Origin = index === 0 ? ORIGIN : { ...ORIGIN, memberChain: [`member-${index}`] };
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      run.onBytes?.(bytes.subarray(offset, offset + chunkSize), offset, origin);
    }
    run.onBytesEnd?.(origin);
  }
  for (const fact of facts) run.onFact?.(fact, ORIGIN);
  run.finish?.({ file: "model.bin", size: 0, sha256: null, formats: [] });
  return reports;
}

export function text(
  value: string,
  role: "metadata" | "config" | "string-constant" | "vocabulary" | "documentation" | "name" = "metadata",
  key?: string,
): Fact {
  return key === undefined ? { kind: "text", text: value, role } : { kind: "text", text: value, role, key };
}

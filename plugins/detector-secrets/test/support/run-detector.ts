import type { Fact, ReportInput } from "@modelaudit/core";
import { driveDetector, TEST_ORIGIN } from "@modelaudit/core/testing";
import plugin from "../../src/index.js";

export const ORIGIN = TEST_ORIGIN;

/** This plugin's detector driven as the engine drives it (see `driveDetector`). */
export function runDetector(
  facts: Fact[],
  sources: Uint8Array[] = [],
  options: Record<string, unknown> = {},
  chunkSize = 4 * 1024 * 1024,
): ReportInput[] {
  return driveDetector(plugin.detectors[0]!, { facts, sources, options, chunkSize, level: "standard" });
}

import type { Finding } from "@modelaudit/core";
import type { Config, Report } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import plugin from "../../src/index.js";
import { type TestArchive, testArchiveBytes, testHandlers } from "./test-handlers.js";

export async function scanArchive(archive: TestArchive, options: Record<string, unknown> = {}): Promise<Report> {
  const config: Config = { options: { "archive-safety": options } };
  return scanBytes("synthetic.json", testArchiveBytes(archive), [plugin, testHandlers], config);
}

export function rulesOf(report: Report): string[] {
  return [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
}

export function findingsOf(report: Report, rule: string): Finding[] {
  return report.findings.filter((finding) => finding.ruleId === `archive-safety/${rule}`);
}

/** Detector failures on hostile input land in the file's reasons; tests assert there are none. */
export function detectorFailures(report: Report): string[] {
  return report.files.flatMap((file) => file.reasons).filter((reason) => reason.includes("detector"));
}

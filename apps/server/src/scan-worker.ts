import type { ScanLevel, Severity } from "@modelaudit/core";
import type { ExitCode, Report } from "@modelaudit/core/engine";
import { type Engine, type EngineOptions, loadEngine } from "./load-engine.js";
import { runScan } from "./run-scan.js";

/** One scan handed to a pool thread: plain data only (it crosses a thread boundary). */
export interface ScanTask {
  engine: EngineOptions;
  paths: string[];
  uploadDirectory?: string;
  level?: ScanLevel;
  failOn?: Severity;
}

export interface ScanResult {
  report: Report;
  exitCode: ExitCode;
}

// Each pool thread loads the plugins once and keeps them for every later scan.
const engines = new Map<string, Promise<Engine>>();

/** The piscina task: runs the engine in this worker thread, so a slow or hostile file never blocks the HTTP thread. */
export default async function scanTask(task: ScanTask): Promise<ScanResult> {
  const key = JSON.stringify(task.engine);
  let engine = engines.get(key);
  if (!engine) {
    engine = loadEngine(task.engine);
    engines.set(key, engine);
  }
  return runScan(task.paths, await engine, {
    ...(task.uploadDirectory ? { uploadDirectory: task.uploadDirectory } : {}),
    ...(task.level ? { level: task.level } : {}),
    ...(task.failOn ? { failOn: task.failOn } : {}),
  });
}

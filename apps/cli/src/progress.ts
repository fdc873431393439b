import { createRequire } from "node:module";
import type cliProgressModule from "cli-progress";
import type { OutputStream } from "./io.js";

/** cli-progress (CommonJS) is required when a bar is drawn, not when the CLI starts. */
const requireFromHere = createRequire(import.meta.url);

/** Where a scan is, in files and bytes. `hashing` is the cache's hash-only pass; `scanning` the scan. */
export interface ProgressState {
  phase: "hashing" | "scanning";
  bytes: number;
  totalBytes: number;
  files: number;
  totalFiles: number;
  /** The file last worked on. */
  file: string;
}

export interface ProgressReporter {
  update(state: ProgressState): void;
  stop(): void;
}

/**
 * A progress bar on stderr, by bytes, with files counted and an ETA from the byte rate of the current
 * phase. Only created once the caller has decided stderr is a terminal (never when it is not: logs
 * stay clean), so the stream is presented as one.
 */
export function createProgressBar(stream: OutputStream, now: () => number = Date.now): ProgressReporter {
  const terminal = {
    isTTY: true,
    get columns(): number | undefined {
      return (stream as { columns?: number }).columns;
    },
    write: (chunk: string) => stream.write(chunk),
  };
  const cliProgress = requireFromHere("cli-progress") as typeof cliProgressModule;
  const bar = new cliProgress.SingleBar(
    {
      stream: terminal as unknown as NodeJS.WritableStream,
      format: "{phase} [{bar}] {percentage}% {bytesText} {filesText} {etaText} {file}",
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase: ProgressState["phase"] | undefined;
  let phaseStart = now();
  return {
    update(state) {
      if (state.phase !== phase) {
        phase = state.phase;
        phaseStart = now();
      }
      const payload = progressPayload(state, now() - phaseStart);
      // cli-progress needs a positive total; an all-empty scan is complete at once.
      const total = Math.max(1, state.totalBytes);
      const value = state.totalBytes === 0 ? (state.files >= state.totalFiles ? 1 : 0) : state.bytes;
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** The text fields of the bar; pure, for tests. */
export function progressPayload(state: ProgressState, elapsedMs: number) {
  return {
    phase: state.phase,
    bytesText: `${formatBytes(state.bytes)}/${formatBytes(state.totalBytes)}`,
    filesText: `${state.files}/${state.totalFiles} files`,
    etaText: `ETA ${formatEta(etaMs(state.bytes, state.totalBytes, elapsedMs))}`,
    file: shorten(state.file, 40),
  };
}

/** Time left at the rate so far; undefined until there is a rate to go by. */
export function etaMs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done >= total) return 0;
  if (done <= 0 || elapsedMs < 500) return undefined;
  return (elapsedMs * (total - done)) / done;
}

export function formatEta(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "--";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function shorten(text: string, max: number): string {
  // Control characters in a file name must not reach the terminal.
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return printable.length <= max ? printable : `…${printable.slice(-(max - 1))}`;
}

import type { ScanProgress } from "@modelaudit/core/engine";
import cliProgress from "cli-progress";
import type { OutputStream } from "./io.js";

export interface ProgressReporter {
  update(progress: ScanProgress): void;
  stop(): void;
}

/**
 * A progress bar on stderr; started on the first update, when the number of files is known. Only
 * created once the caller has decided stderr is a terminal, so the stream is presented as one.
 */
export function createProgressBar(stream: OutputStream): ProgressReporter {
  const terminal = {
    isTTY: true,
    get columns(): number | undefined {
      return (stream as { columns?: number }).columns;
    },
    write: (chunk: string) => stream.write(chunk),
  };
  const bar = new cliProgress.SingleBar(
    {
      stream: terminal as unknown as NodeJS.WritableStream,
      format: "scanning [{bar}] {value}/{total} files {file}",
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const file = shorten(progress.file, 40);
      if (!started) {
        bar.start(progress.total, progress.completed, { file });
        started = true;
      } else {
        bar.update(progress.completed, { file });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function shorten(text: string, max: number): string {
  // Control characters in a file name must not reach the terminal.
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return printable.length <= max ? printable : `…${printable.slice(-(max - 1))}`;
}

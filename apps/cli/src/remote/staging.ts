import { rmSync } from "node:fs";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { UsageError } from "../usage-error.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * A private temp directory for downloads that is removed when the scan ends, fails or is
 * interrupted (SIGINT, SIGTERM, SIGHUP, or the process exiting), so a model never stays on disk.
 */
export class Staging {
  private readonly controller = new AbortController();
  private disposed = false;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.controller.abort(new Error(`interrupted by ${signal}`));
    this.removeNow();
    // Once every listener has run (`once` ones are then gone), and none is left to handle it,
    // re-raising gives the default behaviour: the process ends by the signal.
    setImmediate(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  private readonly onExit = () => this.removeNow();

  private constructor(readonly directory: string) {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on("exit", this.onExit);
  }

  /** Under `parent` (default: the system temp directory), resolved through links so report paths map back. */
  static async create(parent: string = tmpdir()): Promise<Staging> {
    let directory: string;
    try {
      directory = await realpath(await mkdtemp(path.join(parent, "modelaudit-remote-")));
    } catch (error) {
      throw new UsageError(
        `cannot create a download directory in ${parent}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
    return new Staging(directory);
  }

  /** Aborted on interrupt: downloads in flight stop at once. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.unregister();
    this.disposed = true;
    await rm(this.directory, { recursive: true, force: true, maxRetries: 3 });
  }

  private removeNow(): void {
    if (this.disposed) return;
    this.unregister();
    this.disposed = true;
    rmSync(this.directory, { recursive: true, force: true, maxRetries: 3 });
  }

  private unregister(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    process.off("exit", this.onExit);
  }
}

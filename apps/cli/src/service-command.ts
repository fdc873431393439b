import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExitCode } from "@modelaudit/core/engine";
import type { ResolvedIo } from "./io.js";
import { DEFAULT_PRESET } from "./load-setup.js";
import { UsageError } from "./usage-error.js";

/**
 * `modelaudit serve` and `modelaudit worker`: the server package's own entry points (it stays
 * usable alone as `modelaudit-server`), with their options passed through unchanged. Resolves once
 * the service listens or the worker is connected; the process then runs until SIGINT or SIGTERM,
 * which finish in-flight work (a second signal is not waited for).
 */
export async function serviceCommand(
  kind: "serve" | "worker",
  args: readonly string[],
  io: ResolvedIo,
): Promise<ExitCode> {
  // Listening before the service starts: a signal that comes while it starts (or just after it says
  // it listens) stops it once it is up, instead of killing it with no clean close.
  let close: (() => Promise<void>) | undefined;
  let stopAsked = false;
  const closeAndExit = (closing: () => Promise<void>) =>
    closing().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  const stop = () => {
    if (close) closeAndExit(close);
    else stopAsked = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const { main, workerMain } = await loadServer();
  const serviceIo = { stdout: io.stdout, stderr: io.stderr, env: io.env, pluginDirs: pluginDirs(io) };
  const started = kind === "serve" ? await main(args, serviceIo) : await workerMain(args, serviceIo);
  if (!started.close) {
    // Nothing runs: the command ends with its exit code, signals back to their default.
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  } else if (stopAsked) {
    closeAndExit(started.close);
  } else {
    close = started.close;
  }
  return started.exitCode;
}

/**
 * The preset's folder when the caller resolves it (the `modelaudit` command does): the service
 * resolves the plugins a config names from there, as the CLI does. A folder, not the resolver
 * function, because the service's scan threads need it too.
 */
function pluginDirs(io: ResolvedIo): string[] {
  try {
    return [path.dirname(fileURLToPath(io.resolvePlugin(DEFAULT_PRESET)))];
  } catch {
    return [];
  }
}

// The service is an optional peer: a scan-only install does not carry its HTTP server, queue and database.
async function loadServer(): Promise<typeof import("@modelaudit/server")> {
  try {
    return await import("@modelaudit/server");
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
      (error as Error).message.includes("'@modelaudit/server'");
    if (!missing) throw error;
    throw new UsageError("the scanning service needs @modelaudit/server: npm install @modelaudit/server");
  }
}

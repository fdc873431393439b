import type { ExitCode } from "@modelaudit/core/engine";
import { main, workerMain } from "@modelaudit/server";
import type { ResolvedIo } from "./io.js";

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
  const serviceIo = { stdout: io.stdout, stderr: io.stderr, env: io.env };
  const { exitCode, close } = kind === "serve" ? await main(args, serviceIo) : await workerMain(args, serviceIo);
  if (close) {
    const stop = () => {
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  return exitCode;
}

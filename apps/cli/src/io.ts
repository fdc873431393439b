/** Where the CLI reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Whether each stream is a terminal; one boolean applies to both. */
  isTTY: boolean | { stdout: boolean; stderr: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Resolves a plugin or preset name that the user's project does not have (after node_modules of the
   * config's folder and its parents). Default: the CLI's own dependencies, which are none; the
   * `modelaudit` package passes its own, which hold the recommended preset.
   */
  resolvePlugin: (name: string) => string;
}

export interface OutputStream {
  write(chunk: string): unknown;
}

export interface ResolvedIo {
  stdout: OutputStream;
  stderr: OutputStream;
  isTTY: { stdout: boolean; stderr: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  resolvePlugin: (name: string) => string;
}

/** Fills what the caller left out from the running process. */
export function resolveIo(io: Partial<CliIo> = {}): ResolvedIo {
  const isTTY =
    io.isTTY === undefined
      ? { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true }
      : typeof io.isTTY === "boolean"
        ? { stdout: io.isTTY, stderr: io.isTTY }
        : io.isTTY;
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    isTTY,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    resolvePlugin: io.resolvePlugin ?? ((name) => import.meta.resolve(name)),
  };
}

/**
 * Colours on a stream: NO_COLOR (non-empty, per no-color.org) turns them off, FORCE_COLOR turns
 * them on, otherwise only on a terminal that is not `dumb`.
 */
export function colorEnabled(io: ResolvedIo, stream: "stdout" | "stderr"): boolean {
  const { env } = io;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return io.isTTY[stream] && env.TERM !== "dumb";
}

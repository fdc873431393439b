import { type ChildProcess, spawn } from "node:child_process";
import { onCleanup, SERVER_DIST, TOKENS_ENV } from "./helpers.js";

export interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node dist/server.js <args>` (serve, or `worker ...`), killed after the test if still running. */
export function spawnDist(args: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [SERVER_DIST, ...args], {
    // REDIS_URL and DATABASE_URL only where a test passes them: without them a server runs scans itself on SQLite.
    env: { ...process.env, MODELAUDIT_TOKENS: TOKENS_ENV, REDIS_URL: "", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  return { child, output: () => output, exited };
}

/** Waits until `output` matches, or fails with what the process printed. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(child.output());
    if (match) return match;
    if (Date.now() > deadline || child.child.exitCode !== null) {
      throw new Error(`expected ${pattern} from the process; it printed:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `modelaudit serve` as a child process and returns its URL. */
export async function spawnServer(args: readonly string[], env: Record<string, string> = {}) {
  const server = spawnDist(["--port", "0", ...args], env);
  const match = await waitForOutput(server, /listening on (http:\/\/[^\s]+)/);
  return { ...server, url: match[1] as string };
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { type CliIo, run } from "../src/cli.js";

export const TEST_PLUGIN = fileURLToPath(new URL("./fixtures/test-plugin.mjs", import.meta.url));

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/**
 * A temp directory holding the given files and a config that loads only the test plugin (`extends: []`), so the
 * tests do not depend on the real preset.
 */
export async function workspace(
  files: Record<string, string>,
  config: object = {},
): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-cli-"));
  directories.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const configPath = path.join(dir, "test.config.json");
  await writeFile(configPath, JSON.stringify({ extends: [], plugins: [TEST_PLUGIN], ...config }));
  return { dir, config: configPath };
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams; not a TTY and no colour variables unless given. */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const { exitCode } = await run(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    isTTY: false,
    env: {},
    ...io,
  });
  return { exitCode, stdout, stderr };
}

export const CLEAN = "TEST\ntext all fine\n";
export const CRITICAL = "TEST\ntext this is BAD\n";
export const WARNING = "TEST\ntext an ODD one\n";
export const TRUNCATED = "TEST\ntext fine\ntruncated\n";

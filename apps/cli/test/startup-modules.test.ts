import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = path.join(root, "dist", "cli.js");
const recorder = fileURLToPath(new URL("./fixtures/record-loads.mjs", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "modelaudit-startup-"));
  await writeFile(path.join(dir, "tiny.txt"), "hello world\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The URLs of the modules the built CLI loads for `args` (worker threads included), with the default preset. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = path.join(dir, `loads-${args.join("-").replace(/[^\w-]/g, "_")}.txt`);
  await execFileAsync(process.execPath, ["--import", recorder, cli, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", MODELAUDIT_LOAD_LOG: log },
  }).catch((error: { code?: number }) => {
    // Exit 1 (findings) still ran the whole scan; anything else is a failure of the command.
    if (error.code !== 1) throw error;
  });
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

const zod = (urls: string[]) => urls.filter((url) => url.includes("/node_modules/zod/"));

// zod is ~100 modules (100-150 ms of start-up): only a config that sets plugin options needs it.
describe.skipIf(!existsSync(cli))("start-up of the built CLI", () => {
  it.each([[["--version"]], [["--help"]], [["plugins"]], [["rules"]], [["scan", "tiny.txt"]]])(
    "%j does not load zod",
    async (args) => {
      const urls = await modulesLoaded(args);
      // The recorder saw the CLI itself: an empty log would pass for the wrong reason.
      expect(urls.some((url) => url.endsWith("/dist/cli.js"))).toBe(true);
      expect(zod(urls).slice(0, 3)).toEqual([]);
    },
  );

  it("loads zod when the config sets a plugin's options, to check them", async () => {
    const config = path.join(dir, "modelaudit.config.json");
    await writeFile(config, JSON.stringify({ options: { network: { allowHosts: ["example.com"] } } }));
    try {
      const urls = await modulesLoaded(["scan", "tiny.txt", "--config", config]);
      expect(zod(urls).length).toBeGreaterThan(0);
    } finally {
      await rm(config);
    }
  });
});

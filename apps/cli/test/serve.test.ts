import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/modelaudit.js", import.meta.url));
const TOKEN = "cli-test-token-0123456789";

describe("modelaudit serve / worker", () => {
  it("starts the service, answers with a token, and stops cleanly on SIGTERM", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "modelaudit-cli-serve-"));
    try {
      const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data-dir", dataDir], {
        env: { ...process.env, MODELAUDIT_TOKENS: `ci:${TOKEN}`, REDIS_URL: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      let url: string | undefined;
      for (let tries = 0; tries < 300 && !url; tries++) {
        url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url, output).toBeDefined();
      expect((await fetch(`${url}/v1/scans`)).status).toBe(401);
      const listed = await fetch(`${url}/v1/scans`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await listed.json()).toEqual({ scans: [], nextCursor: null });
      child.kill("SIGTERM");
      // The signal and the service's output say why, should it ever end otherwise.
      expect(await exited, output).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses to serve without tokens and a worker without Redis, with exit code 2", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...process.env, MODELAUDIT_TOKENS: "", REDIS_URL: "" },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.once("exit", (code) => resolve({ code, stderr }));
      });
    const serve = await run(["serve", "--port", "0", "--data-dir", path.join(tmpdir(), "modelaudit-never-created")]);
    expect(serve).toMatchObject({ code: 2, stderr: expect.stringMatching(/no API tokens configured/) });
    const worker = await run(["worker"]);
    expect(worker).toMatchObject({ code: 2, stderr: expect.stringMatching(/--redis-url or REDIS_URL/) });
  });
});

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "./open-store.js";
import { ScanExecutor } from "./scan-executor.js";

const ID = "00000000-0000-4000-8000-00000000000a";
const REPORT = { schemaVersion: "2.0.0", files: [] } as unknown as Report;

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe("ScanExecutor", () => {
  it("removes the upload of a scan another process finished but was killed before cleaning up", async () => {
    directory = await mkdtemp(path.join(tmpdir(), "modelaudit-executor-"));
    const store = await openStore({ dataDir: directory });
    const blobDir = path.join(directory, "blobs");
    const upload = path.join(blobDir, ID);
    await mkdir(upload, { recursive: true });
    await writeFile(path.join(upload, "model.pkl"), "bytes");
    // The first worker recorded the result, then died before removing the upload; its job moves on.
    await store.insert(ID, "alice", { kind: "upload", inputs: ["model.pkl"] });
    expect((await store.claim(ID, 3, "killed-worker")).kind).toBe("run");
    expect(await store.complete(ID, REPORT, 0, "killed-worker")).toBe(true);

    const executor = new ScanExecutor({
      store,
      blobDir,
      engine: {},
      threads: 1,
      scanTimeoutMs: 10_000,
      maxAttempts: 3,
      actor: "next-worker",
      logger: pino({ enabled: false }),
    });
    try {
      expect(await executor.execute(ID)).toBe("skipped");
      expect(existsSync(upload)).toBe(false);
      expect((await store.get(ID))?.status).toBe("done");
    } finally {
      await executor.close();
      await store.close();
    }
  });
});

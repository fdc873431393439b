import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config.js";
import { buildRegistry } from "../src/engine/registry.js";
import { type ScanProgress, scan } from "../src/engine/scan.js";
import { toyPlugin } from "./test-plugin.js";

const MiB = 1024 * 1024;

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-progress-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function scanWithProgress(paths: string[], level: "quick" | "standard"): Promise<ScanProgress[]> {
  const updates: ScanProgress[] = [];
  await scan(paths, {
    registry: buildRegistry([toyPlugin]),
    config: resolveConfig({ level }),
    concurrency: 1,
    onProgress: (update) => updates.push(update),
  });
  return updates;
}

describe("scan progress", () => {
  it("counts bytes read within a large file, before the file is finished", async () => {
    // A 1 GiB model used to show 0/1 for its whole scan: the single pass reports every 4 MiB.
    const big = path.join(directory, "big.bin");
    await writeFile(big, new Uint8Array(18 * MiB));
    const updates = await scanWithProgress([big], "standard");
    const during = updates.filter((update) => update.completed === 0);
    expect(during.map((update) => update.bytes)).toEqual([4 * MiB, 8 * MiB, 12 * MiB, 16 * MiB, 18 * MiB]);
    for (const update of updates) expect(update).toMatchObject({ total: 1, totalBytes: 18 * MiB, file: big });
    expect(updates.at(-1)).toMatchObject({ completed: 1, bytes: 18 * MiB });
  });

  it("adds finished files in full and never goes backwards or past the total", async () => {
    const files = ["a.bin", "b.bin", "c.txt"].map((name) => path.join(directory, name));
    await writeFile(files[0] as string, new Uint8Array(9 * MiB));
    await writeFile(files[1] as string, new Uint8Array(5 * MiB));
    await writeFile(files[2] as string, "TOY\nimport numpy ndarray\n");
    const total = 14 * MiB + 25;
    const updates = await scanWithProgress([directory], "standard");
    expect(updates.every((update) => update.totalBytes === total && update.total === 3)).toBe(true);
    const bytes = updates.map((update) => update.bytes);
    expect(bytes).toEqual([...bytes].sort((left, right) => left - right));
    expect(Math.max(...bytes)).toBe(total);
    expect(updates.filter((update) => update.completed === 0).length).toBeGreaterThan(0);
    expect(updates.at(-1)).toMatchObject({ completed: 3, bytes: total });
  });

  it("at the quick level, which reads no data, counts each file when it is finished", async () => {
    const big = path.join(directory, "big.bin");
    await writeFile(big, new Uint8Array(9 * MiB));
    const updates = await scanWithProgress([big], "quick");
    expect(updates).toEqual([{ completed: 1, total: 1, bytes: 9 * MiB, totalBytes: 9 * MiB, file: big }]);
  });
});

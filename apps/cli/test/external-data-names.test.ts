import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

// tooling/fixtures/onnx: `onnx.save_model(..., save_as_external_data=True, location="weights.bin")`.
// The data file's name says model and no handler reads raw floats; the model beside it reads it as
// its external data, so a scan of both reports it as the model's data. Nothing else lifts it.
const FIXTURES = path.resolve(import.meta.dirname, "../../../tooling/fixtures/onnx");

interface Scanned {
  exitCode: number;
  files: Map<string, { outcome: string; reasons: string[]; dataOf?: string[] }>;
}

async function scanJson(...argv: string[]): Promise<Scanned> {
  const result = await runCli(["scan", ...argv, "--format", "json", "--no-progress"]);
  const report = JSON.parse(result.stdout) as {
    files: { path: string; outcome: string; reasons: string[]; dataOf?: string[] }[];
  };
  return { exitCode: result.exitCode, files: new Map(report.files.map((file) => [path.basename(file.path), file])) };
}

let copy: string;
beforeAll(async () => {
  // The model named after its data file: the folder walk reaches weights.bin first.
  copy = await mkdtemp(path.join(tmpdir(), "modelaudit-external-bin-"));
  await copyFile(path.join(FIXTURES, "external_data_bin_name/model.onnx"), path.join(copy, "z-model.onnx"));
  await copyFile(path.join(FIXTURES, "external_data_bin_name/weights.bin"), path.join(copy, "weights.bin"));
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe("an ONNX model's external data named like a model", () => {
  it("is the model's data in a folder scan: clean, exit 0", async () => {
    const folder = path.join(FIXTURES, "external_data_bin_name");
    const { exitCode, files } = await scanJson(folder);
    expect(files.get("weights.bin")).toMatchObject({
      outcome: "clean",
      reasons: [],
      dataOf: [path.join(folder, "model.onnx")],
    });
    expect(files.get("model.onnx")?.outcome).toBe("clean");
    expect(files.get("model.onnx")?.dataOf).toBeUndefined();
    expect(exitCode).toBe(0);
  });

  it("whichever is walked first, with --jobs, and from the cache", async () => {
    const cache = path.join(copy, "..", `${path.basename(copy)}-cache`);
    try {
      for (const argv of [
        ["--jobs", "2"],
        ["--cache", cache],
        ["--cache", cache],
      ]) {
        const { exitCode, files } = await scanJson(copy, ...argv);
        expect(files.get("weights.bin")?.dataOf, argv.join(" ")).toEqual([path.join(copy, "z-model.onnx")]);
        expect(exitCode, argv.join(" ")).toBe(0);
      }
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it("stays inconclusive alone, or when no model of the scan reads it", async () => {
    const alone = await scanJson(path.join(FIXTURES, "external_data_bin_name/weights.bin"));
    expect(alone.files.get("weights.bin")?.outcome).toBe("inconclusive");
    expect(alone.exitCode).toBe(2);
    const random = await scanJson(
      path.join(FIXTURES, "external_data_bin_unreferenced"),
      path.join(FIXTURES, "external_data_bin_name/model.onnx"),
    );
    const lone = random.files.get("weights.bin");
    expect(lone?.outcome).toBe("inconclusive");
    expect(lone?.reasons.join("\n")).toMatch(/its name says it is a model file/);
    expect(lone?.dataOf).toBeUndefined();
    expect(random.exitCode).toBe(2);
  });
});

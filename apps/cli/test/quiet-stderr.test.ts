import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Nothing is printed to stderr under --quiet (issue 16), even when a library the scan runs in-process
// aborts: h5wasm (HDF5 in WebAssembly) prints "Aborted(...)" to the console it bound when it was made.
// Spawned as a user runs it: the bound console is the real one there, not the test runner's.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "apps/cli/bin/modelaudit.js");
const KERAS = path.join(ROOT, "tooling/fixtures/keras");

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-quiet-"));
  // One byte (0x8e) inserted at offset 1601 of a real Keras H5 file: HDF5 aborts reading it (found
  // by mutating the fixtures). The file is inconclusive; the next HDF5 file gets a fresh instance.
  const original = await readFile(path.join(KERAS, "keras2_lambda_module_os_system.h5"));
  const aborting = Buffer.concat([original.subarray(0, 1601), Buffer.from([0x8e]), original.subarray(1601)]);
  await writeFile(path.join(directory, "a-aborting.h5"), aborting);
  await writeFile(path.join(directory, "b-dense.h5"), await readFile(path.join(KERAS, "keras2_sequential_dense.h5")));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("--quiet keeps stderr empty", () => {
  it("when HDF5 aborts on a file: that file is inconclusive with the reason, the next one is read", async () => {
    const result = await promisify(execFile)(process.execPath, [CLI, "scan", directory, "--quiet", "--jobs", "1"], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect(result.stderr).toBe("");
    expect((result as { code?: number }).code).toBe(2);
    expect(result.stdout).toContain("a-aborting.h5");
    expect(result.stdout).toContain("the HDF5 library aborted on this file");
    expect(result.stdout).toContain("2 files: 1 clean, 0 with findings (0 critical, 0 warning), 1 inconclusive");
  });
});

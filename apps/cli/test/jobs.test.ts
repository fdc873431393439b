import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLEAN, CRITICAL, runCli, TEST_PLUGIN, TRUNCATED, WARNING, workspace } from "./harness.js";

const WORKER_EXIT_PLUGIN = fileURLToPath(new URL("./fixtures/worker-exit-plugin.mjs", import.meta.url));

/** The report without what differs from run to run (timings). */
function stable(json: string): unknown {
  return JSON.parse(json, (key, value) => (key === "durationMs" ? 0 : value));
}

describe("modelaudit scan --jobs", () => {
  it("a 5,000-file folder gives the same report on two worker threads as on the main thread", async () => {
    const { dir, config } = await workspace({});
    const contents = [CLEAN, CLEAN, CLEAN, WARNING, CRITICAL, TRUNCATED, "not a test file\n"];
    for (let folder = 0; folder < 50; folder++) {
      const sub = path.join(dir, `folder-${folder}`);
      await mkdir(sub);
      await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          writeFile(path.join(sub, `file-${index}.test`), contents[(folder * 100 + index) % contents.length] as string),
        ),
      );
    }
    const args = ["scan", dir, "--config", config, "--format", "json", "--ignore", "*.json"];
    const one = await runCli([...args, "--jobs", "1"], { cwd: dir });
    const two = await runCli([...args, "--jobs", "2"], { cwd: dir });
    expect(one.stderr).toBe("");
    expect(two.stderr).toBe("");
    expect(two.exitCode).toBe(one.exitCode);
    expect(stable(two.stdout)).toEqual(stable(one.stdout));

    const report = JSON.parse(one.stdout);
    expect(report.files).toHaveLength(5000);
    expect(report.summary.outcomes.findings).toBeGreaterThan(0);
    expect(report.summary.outcomes.inconclusive).toBeGreaterThan(0);
    // Compact: clean files are listed, their checks only counted; the summary counts every check.
    const cleanFiles = report.files.filter((file: { outcome: string }) => file.outcome === "clean").length;
    expect(cleanFiles).toBeGreaterThan(2000);
    const { passed, failed, skipped } = report.summary.checks;
    expect(report.checks.length + report.omitted.checks).toBe(passed + failed + skipped);

    const verbose = await runCli([...args, "--jobs", "2", "--verbose"], { cwd: dir });
    const full = JSON.parse(verbose.stdout);
    expect(full.omitted).toBeUndefined();
    expect(full.checks).toHaveLength(passed + failed + skipped);
    expect(full.summary.checks).toEqual(report.summary.checks);
  }, 120_000);

  it("a file that ends its worker is reported as not scanned; the files it shared the worker with are scanned", async () => {
    const files: Record<string, string> = { "b-exit.test": "EXIT\n" };
    const contents = [CLEAN, WARNING, CRITICAL];
    for (let index = 0; index < 40; index++) files[`file-${index}.test`] = contents[index % 3] as string;
    const { dir, config } = await workspace(files, { plugins: [TEST_PLUGIN, WORKER_EXIT_PLUGIN] });
    const args = ["scan", dir, "--config", config, "--format", "json", "--ignore", "*.json"];
    const one = JSON.parse((await runCli([...args, "--jobs", "1"], { cwd: dir })).stdout);
    const two = JSON.parse((await runCli([...args, "--jobs", "2"], { cwd: dir })).stdout);
    const outcomes = (report: { files: { path: string; outcome: string; reasons: string[] }[] }) =>
      new Map(report.files.map((file) => [path.basename(file.path), file]));
    const threaded = outcomes(two);
    expect(threaded.size).toBe(41);
    expect(threaded.get("b-exit.test")?.outcome).toBe("inconclusive");
    expect(threaded.get("b-exit.test")?.reasons.join()).toMatch(/worker exited with code 3/);
    for (const [name, file] of outcomes(one)) {
      if (name !== "b-exit.test") expect(threaded.get(name)?.outcome, name).toBe(file.outcome);
    }
  }, 120_000);

  it("a folder with one file or none: --jobs 2 ends with the --jobs 1 report", async () => {
    const { dir, config } = await workspace({ "only.test": WARNING });
    await mkdir(path.join(dir, "empty"));
    const args = ["--config", config, "--format", "json", "--ignore", "*.json"];
    const one = await runCli(["scan", dir, ...args, "--jobs", "1"], { cwd: dir });
    const two = await runCli(["scan", dir, ...args, "--jobs", "2"], { cwd: dir });
    expect(two.stderr).toBe("");
    expect(stable(two.stdout)).toEqual(stable(one.stdout));
    const report = JSON.parse(two.stdout);
    expect(report.files.map((file: { path: string }) => path.basename(file.path))).toEqual(["only.test"]);
    expect(report.summary.findings.warning).toBe(1);

    const empty = await runCli(["scan", path.join(dir, "empty"), ...args, "--jobs", "2"], { cwd: dir });
    expect(JSON.parse(empty.stdout).files).toEqual([]);
    expect(JSON.parse(empty.stdout).skipped).toHaveLength(1);
  }, 60_000);
});

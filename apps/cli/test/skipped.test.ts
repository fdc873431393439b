import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLEAN, runCli, workspace } from "./harness.js";

/** A folder with one clean file and what the walk passes over: an empty directory, a linked one, a dangling link. */
async function modelsFolder(): Promise<{ dir: string; config: string; models: string }> {
  const { dir, config } = await workspace({});
  const models = path.join(dir, "models");
  await mkdir(path.join(models, "empty"), { recursive: true });
  await writeFile(path.join(models, "a.test"), CLEAN);
  await symlink(path.join(dir, "elsewhere"), path.join(models, "dangling.bin"));
  await mkdir(path.join(dir, "outside"));
  await writeFile(path.join(dir, "outside", "b.test"), CLEAN);
  await symlink(path.join(dir, "outside"), path.join(models, "linked"));
  return { dir, config, models };
}

describe("modelaudit scan: skipped inputs", () => {
  it("lists them with why in the text report, counts them in the summary, and still exits 0", async () => {
    const { dir, config, models } = await modelsFolder();
    const result = await runCli(["scan", models, "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("skipped (3):");
    expect(result.stdout).toContain(`  - ${path.join(models, "empty")}  empty directory`);
    expect(result.stdout).toContain(
      `  - ${path.join(models, "linked")}  symbolic link to directory ${JSON.stringify(path.join(dir, "outside"))}, not followed`,
    );
    expect(result.stdout).toContain("which does not exist (dangling link), not followed");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toMatch(/, 3 skipped — exit 0$/);
  });

  it("writes them to the JSON report and as SARIF notes", async () => {
    const { dir, config, models } = await modelsFolder();
    const json = JSON.parse(
      (await runCli(["scan", models, "--config", config, "--format", "json"], { cwd: dir })).stdout,
    );
    expect(json.skipped.map((entry: { path: string }) => path.basename(entry.path))).toEqual([
      "dangling.bin",
      "empty",
      "linked",
    ]);
    expect(json.summary.skipped).toBe(3);
    const sarif = JSON.parse(
      (await runCli(["scan", models, "--config", config, "--format", "sarif"], { cwd: dir })).stdout,
    );
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(
      notes.map((note: { level: string; descriptor: { id: string } }) => [note.level, note.descriptor.id]),
    ).toEqual([
      ["note", "modelaudit/skipped"],
      ["note", "modelaudit/skipped"],
      ["note", "modelaudit/skipped"],
    ]);
  });

  it.runIf(existsSync("/dev/zero"))(
    "never reads /dev/zero named on the command line: inconclusive, exit 2",
    async () => {
      const { dir, config } = await workspace({ "a.test": CLEAN });
      const result = await runCli(["scan", "/dev/zero", path.join(dir, "a.test"), "--config", config], { cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toContain(
        "/dev/zero  [unrecognised]  inconclusive\n  ! character device, not a regular file: never opened",
      );
    },
  );
});

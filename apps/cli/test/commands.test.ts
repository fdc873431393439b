import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CRITICAL, runCli, workspace } from "./harness.js";

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const built = existsSync(path.join(root, "dist", "cli.js"));

describe("modelaudit plugins", () => {
  it("lists plugins with version, namespace, formats, detectors and rules", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["plugins", "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("modelaudit-plugin-cli-test 9.8.7  (namespace: test)");
    expect(result.stdout).toContain("    test-format  Line-based test format");
    expect(result.stdout).toContain("    test-detector  Flags BAD and ODD values  (text)");
    expect(result.stdout).toContain("    test/bad-value  critical  A value marked BAD");
    expect(result.stdout).toContain("    test/odd-value  warning  A value marked ODD");
  });

  it("--format json", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["plugins", "--config", config, "--format", "json"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const { plugins } = JSON.parse(result.stdout);
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: "modelaudit-plugin-cli-test", version: "9.8.7", namespace: "test" });
    expect(plugins[0].formats).toEqual([{ id: "test-format", description: "Line-based test format" }]);
    expect(plugins[0].rules.map((rule: { id: string; severity: string }) => [rule.id, rule.severity])).toEqual([
      ["test/bad-value", "critical"],
      ["test/odd-value", "warning"],
    ]);
  });

  it("an unknown plugin is a usage error", async () => {
    const { dir } = await workspace({});
    const result = await runCli(["plugins", "--plugin", "/nowhere/plugin.mjs"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cannot load plugin/);
  });
});

describe("modelaudit --version and --help", () => {
  it("--version prints the CLI version", async () => {
    const result = await runCli(["--version"]);
    expect(result).toEqual({ exitCode: 0, stdout: "0.0.0-test\n", stderr: "" });
  });

  it("--help documents the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Exit codes: 0 clean, 1 findings");
  });
});

// The built program, as users run it; turbo builds before testing.
describe.skipIf(!built)("the built command", () => {
  it("bin/modelaudit.js and dist/cli.js run and set the exit code", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    for (const entry of ["bin/modelaudit.js", "dist/cli.js"]) {
      const failure = await execFileAsync(
        process.execPath,
        [path.join(root, entry), "scan", "bad.test", "--config", config, "--format", "json"],
        {
          cwd: dir,
          env: { ...process.env, NO_COLOR: "1" },
        },
      ).then(
        () => ({ code: 0, stdout: "" }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(failure.code).toBe(1);
      expect(JSON.parse(failure.stdout).findings[0].ruleId).toBe("test/bad-value");
    }
    const version = await execFileAsync(process.execPath, [path.join(root, "bin/modelaudit.js"), "--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLEAN, CRITICAL, runCli, TEST_PLUGIN, TRUNCATED, WARNING, workspace } from "./harness.js";

const ANSI = /\u001b\[[0-9;]*m/;

describe("modelaudit scan: exit codes", () => {
  it("exits 0 on clean files and prints the text report with its summary", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN });
    const result = await runCli(["scan", path.join(dir, "a.test"), "--config", config], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("a.test  [test-format]  clean");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      "1 file: 1 clean, 0 with findings (0 critical, 0 warning), 0 inconclusive — exit 0",
    );
  });

  it("exits 1 on a finding at or above the threshold and shows it", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(["scan", path.join(dir, "bad.test"), "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("critical test/bad-value  Found a bad value: this is BAD");
    expect(result.stdout).toContain("fix: Remove the BAD value.");
  });

  it("exits 2 when a file is inconclusive and nothing was found", async () => {
    const { dir, config } = await workspace({ "broken.test": TRUNCATED });
    const result = await runCli(["scan", path.join(dir, "broken.test"), "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("record at offset 15 is truncated");
  });

  it("exits 2 for a path that does not exist", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["scan", path.join(dir, "missing.pt"), "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("path does not exist or cannot be read");
  });

  it("--fail-on critical turns a warning into exit 0; --fail-on info keeps it failing", async () => {
    const { dir, config } = await workspace({ "odd.test": WARNING });
    const file = path.join(dir, "odd.test");
    expect((await runCli(["scan", file, "--config", config], { cwd: dir })).exitCode).toBe(1);
    const relaxed = await runCli(["scan", file, "--config", config, "--fail-on", "critical", "--format", "json"], {
      cwd: dir,
    });
    expect(relaxed.exitCode).toBe(0);
    const report = JSON.parse(relaxed.stdout);
    expect(report.failOn).toBe("critical");
    expect(report.summary.exitCode).toBe(0);
    expect(report.summary.findings.warning).toBe(1);
    expect((await runCli(["scan", file, "--config", config, "--fail-on", "info"], { cwd: dir })).exitCode).toBe(1);
  });

  it("takes failOn from the config file, and the flag wins over it", async () => {
    const { dir, config } = await workspace({ "odd.test": WARNING }, { failOn: "critical" });
    const file = path.join(dir, "odd.test");
    expect((await runCli(["scan", file, "--config", config], { cwd: dir })).exitCode).toBe(0);
    expect((await runCli(["scan", file, "--config", config, "--fail-on", "warning"], { cwd: dir })).exitCode).toBe(1);
  });
});

describe("modelaudit scan: output formats", () => {
  it("--format json writes the versioned report on stdout, and nothing else", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL, "ok.test": CLEAN });
    const result = await runCli(["scan", dir, "--config", config, "--format", "json"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.schemaVersion).toMatch(/^2\./);
    expect(report.tool).toEqual({ name: "@modelaudit/cli", version: "0.0.0-test" });
    expect(report.plugins).toEqual([{ name: "modelaudit-plugin-cli-test", version: "9.8.7" }]);
    expect(report.files.map((file: { path: string }) => path.basename(file.path))).toEqual([
      "bad.test",
      "ok.test",
      "test.config.json",
    ]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].ruleId).toBe("test/bad-value");
  });

  it("--output writes the report to a file, the summary to stderr, nothing to stdout", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(
      ["scan", "bad.test", "--config", config, "--format", "json", "--output", "out/../report.json"],
      { cwd: dir },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("report written to out/../report.json");
    const report = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8"));
    expect(report.schemaVersion).toBeDefined();
    expect(report.findings[0].file).toMatch(/bad\.test$/);
  });

  it("--format sarif writes SARIF 2.1.0 with relative URIs and the rule description", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(["scan", "bad.test", "--config", config, "--format", "sarif"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("ModelAudit-TS");
    expect(run.tool.driver.rules[0].shortDescription.text).toBe("A value marked BAD");
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("bad.test");
  });

  it("--quiet lists only files with problems; --verbose adds checks", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL, "ok.test": CLEAN });
    const quiet = await runCli(["scan", dir, "--config", config, "--quiet", "--ignore", "*.json"], { cwd: dir });
    expect(quiet.stdout).toContain("bad.test");
    expect(quiet.stdout).not.toContain("ok.test");
    expect(quiet.stdout).toContain("2 files: 1 clean, 1 with findings");
    const verbose = await runCli(["scan", dir, "--verbose", "--config", config], { cwd: dir });
    expect(verbose.stdout).toContain("check passed  test/bad-value");
  });
});

describe("modelaudit scan: configuration", () => {
  it("--disable-rule turns a rule off and the file passes", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(
      [
        "scan",
        path.join(dir, "bad.test"),
        "--config",
        config,
        "--format",
        "json",
        "--verbose",
        "--disable-rule",
        "test/bad-value",
      ],
      { cwd: dir },
    );
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.checks).toContainEqual(expect.objectContaining({ ruleId: "test/bad-value", status: "skipped" }));
  });

  it("--ignore leaves matching files out of a directory scan", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL, "ok.test": CLEAN });
    const result = await runCli(["scan", dir, "--config", config, "--format", "json", "--ignore", "bad.*", "*.json"], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).files.map((file: { path: string }) => path.basename(file.path))).toEqual([
      "ok.test",
    ]);
  });

  it("uses modelaudit.config.json in the cwd, with plugin paths relative to it", async () => {
    const { dir } = await workspace({ "bad.test": CRITICAL });
    await writeFile(path.join(dir, "plugin.mjs"), await readFile(TEST_PLUGIN));
    await writeFile(
      path.join(dir, "modelaudit.config.json"),
      JSON.stringify({ extends: [], plugins: ["./plugin.mjs"], rules: { "test/bad-value": "info" } }),
    );
    const result = await runCli(["scan", path.join(dir, "bad.test"), "--format", "json"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).findings[0].severity).toBe("info");
  });

  it("--plugin adds a plugin to the configured ones and --timeout is accepted", async () => {
    const { dir } = await workspace({ "bad.test": CRITICAL });
    const emptyConfig = path.join(dir, "empty.json");
    await writeFile(emptyConfig, JSON.stringify({ extends: [], plugins: [] }));
    const result = await runCli(
      ["scan", path.join(dir, "bad.test"), "--config", emptyConfig, "--timeout", "30", "--plugin", TEST_PLUGIN],
      { cwd: dir },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("test/bad-value");
  });

  it("scans many files across worker threads with the same result as one thread", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 12; index++)
      files[`f${String(index).padStart(2, "0")}.test`] = index % 4 === 0 ? CRITICAL : CLEAN;
    const { dir, config } = await workspace(files);
    const threaded = await runCli(["scan", dir, "--config", config, "--format", "json", "--jobs", "3"], { cwd: dir });
    const single = await runCli(["scan", dir, "--config", config, "--format", "json", "--jobs", "1"], { cwd: dir });
    expect(threaded.exitCode).toBe(1);
    const strip = (text: string) => JSON.parse(text.replace(/"durationMs": \d+/g, '"durationMs": 0'));
    expect(strip(threaded.stdout)).toEqual(strip(single.stdout));
    expect(strip(threaded.stdout).summary.findings.critical).toBe(3);
  });
});

describe("modelaudit scan: usage errors exit 2", () => {
  const cases: [string, (dir: string, config: string) => string[], RegExp][] = [
    ["an unknown flag", (dir, config) => ["scan", dir, "--config", config, "--bogus"], /unknown option '--bogus'/],
    ["no paths", (_dir, config) => ["scan", "--config", config], /missing required argument 'paths'/],
    ["a bad format", (dir, config) => ["scan", dir, "--config", config, "--format", "xml"], /--format.*xml/],
    ["a bad timeout", (dir, config) => ["scan", dir, "--config", config, "--timeout", "soon"], /positive number/],
    [
      "an unknown plugin",
      (dir, config) => ["scan", dir, "--config", config, "--plugin", "modelaudit-plugin-nope"],
      /cannot load plugin modelaudit-plugin-nope/,
    ],
    [
      "a missing plugin file",
      (dir, config) => ["scan", dir, "--config", config, "--plugin", "./nope.mjs"],
      /cannot load plugin/,
    ],
    [
      "an unknown rule id",
      (dir, config) => ["scan", dir, "--config", config, "--disable-rule", "test/nope"],
      /unknown rule id "test\/nope"/,
    ],
    ["a missing config file", (dir) => ["scan", dir, "--config", "nope.json"], /config file nope\.json does not exist/],
    ["an unknown command", () => ["scna", "."], /unknown command 'scna'/],
    ["no command", () => [], /Usage: modelaudit/],
  ];
  it.each(cases)("%s", async (_name, argv, message) => {
    const { dir, config } = await workspace({ "ok.test": CLEAN });
    const result = await runCli(argv(dir, config), { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("a config file that is not valid JSON or has an unknown field", async () => {
    const { dir } = await workspace({ "ok.test": CLEAN });
    await writeFile(path.join(dir, "broken.json"), "{ plugins: ");
    const broken = await runCli(["scan", dir, "--config", "broken.json"], { cwd: dir });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/is not valid JSON/);
    await writeFile(path.join(dir, "unknown.json"), JSON.stringify({ plugin: [TEST_PLUGIN] }));
    const unknown = await runCli(["scan", dir, "--config", "unknown.json"], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown field "plugin"/);
  });
});

describe("modelaudit scan: colours", () => {
  const scanBad = async (isTTY: boolean, env: Record<string, string>) => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    return runCli(["scan", path.join(dir, "bad.test"), "--config", config, "--no-progress"], { cwd: dir, isTTY, env });
  };

  it("colours a terminal, not a pipe", async () => {
    expect((await scanBad(true, {})).stdout).toMatch(ANSI);
    expect((await scanBad(false, {})).stdout).not.toMatch(ANSI);
  });

  it("respects NO_COLOR and FORCE_COLOR", async () => {
    expect((await scanBad(true, { NO_COLOR: "1" })).stdout).not.toMatch(ANSI);
    expect((await scanBad(false, { FORCE_COLOR: "1" })).stdout).toMatch(ANSI);
    expect((await scanBad(true, { FORCE_COLOR: "0" })).stdout).not.toMatch(ANSI);
    expect((await scanBad(true, { NO_COLOR: "1", FORCE_COLOR: "1" })).stdout).not.toMatch(ANSI);
  });

  it("never colours JSON, and never draws a progress bar into it", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(["scan", path.join(dir, "bad.test"), "--config", config, "--format", "json"], {
      cwd: dir,
      isTTY: true,
      env: { FORCE_COLOR: "1" },
    });
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).schemaVersion).toBeDefined();
  });

  it("draws the progress bar on a terminal stderr for text output, unless --quiet or --no-progress", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN, "b.test": CLEAN });
    const args = ["scan", dir, "--config", config, "--jobs", "1"];
    expect((await runCli(args, { cwd: dir, isTTY: true })).stderr).toMatch(/scanning \[/);
    expect((await runCli([...args, "--quiet"], { cwd: dir, isTTY: true })).stderr).toBe("");
    expect((await runCli([...args, "--no-progress"], { cwd: dir, isTTY: true })).stderr).toBe("");
    expect((await runCli(args, { cwd: dir, isTTY: false })).stderr).toBe("");
  });
});

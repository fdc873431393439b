import { describe, expect, it } from "vitest";
import { CRITICAL, runCli, workspace } from "./harness.js";

describe("modelaudit rules", () => {
  it("lists every rule of the loaded plugins with severity and summary", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["rules", "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      "test/bad-value  critical  A value marked BAD\ntest/odd-value  warning   A value marked ODD\n\n2 rules; `modelaudit rules <id>` explains one\n",
    );
  });

  it("--format json lists ids, plugins, severities, summaries and docs links", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["rules", "--config", config, "--format", "json"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const { rules } = JSON.parse(result.stdout);
    expect(rules.map((rule: { id: string }) => rule.id)).toEqual(["test/bad-value", "test/odd-value"]);
    expect(rules[0]).toMatchObject({
      plugin: "modelaudit-plugin-cli-test",
      severity: "critical",
      summary: "A value marked BAD",
    });
  });

  it("explains one rule: what, why, how to fix, references", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["rules", "test/bad-value", "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("test/bad-value  (critical, confidence");
    expect(result.stdout).toContain("What it finds:\n  A value marked BAD");
    expect(result.stdout).toMatch(
      /Why it matters:\n {2}Findings are critical: .*weakness CWE-502 \(Deserialization of Untrusted Data\)/,
    );
    expect(result.stdout).toContain("How to fix:\n");
    expect(result.stdout).toContain(
      "  CWE-502 Deserialization of Untrusted Data  https://cwe.mitre.org/data/definitions/502.html",
    );
    const json = await runCli(["rules", "test/bad-value", "--config", config, "-f", "json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: "test/bad-value",
      severity: "critical",
      references: [{ id: "CWE-502" }],
    });
  });

  it("an unknown rule is a usage error that suggests near names", async () => {
    const { dir, config } = await workspace({});
    const result = await runCli(["rules", "bad-value", "--config", config], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('modelaudit: no loaded plugin has a rule "bad-value" (did you mean test/bad-value?)\n');
  });

  it("explains first-party rules from the recommended preset with a docs link", async () => {
    const result = await runCli(["rules", "code-execution/dangerous-global"], { cwd: process.cwd() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^code-execution\/dangerous-global {2}\(critical/);
    expect(result.stdout).toContain("plugin: @modelaudit/detector-code-execution");
    expect(result.stdout).toMatch(
      /Documentation: https:\/\/github\.com\/modelaudit-ts\/modelaudit-ts\/.*dangerous-global/,
    );
  });
});

describe("modelaudit scan --format github", () => {
  it("writes workflow-command annotations and exits as usual", async () => {
    const { dir, config } = await workspace({ "bad.test": CRITICAL });
    const result = await runCli(["scan", "bad.test", "--config", config, "--format", "github"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error file=bad\.test,line=\d+,title=test\/bad-value \(critical\)::/m);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toMatch(/exit 1$/);
  });
});

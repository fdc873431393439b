import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, TEST_PLUGIN, workspace } from "./harness.js";

// A config can add plugins or turn the preset off, but only by saying so: what users write in
// modelaudit.config.json must never silently disarm the built-in detectors.
const MALICIOUS_PICKLE = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle/os_system_p2.pkl");

async function scanWithConfig(config: object) {
  const { dir } = await workspace({});
  await cp(MALICIOUS_PICKLE, path.join(dir, "model.pkl"));
  await writeFile(path.join(dir, "modelaudit.config.json"), JSON.stringify(config));
  const result = await runCli(["scan", path.join(dir, "model.pkl"), "--format", "json", "--no-progress"], { cwd: dir });
  return { ...result, dir };
}

describe("plugins named in the config", () => {
  it("add to the recommended preset: an os.system pickle is still found", async () => {
    const result = await scanWithConfig({ plugins: [TEST_PLUGIN] });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain(
      "code-execution/dangerous-global",
    );
    // The report says what ran: the preset's plugins and the added one.
    const names = report.plugins.map((plugin: { name: string }) => plugin.name);
    expect(names).toContain("@modelaudit/detector-code-execution");
    expect(names).toContain("@modelaudit/format-pickle");
    expect(names.at(-1)).toBe("modelaudit-plugin-cli-test");
    // And the rules that ran: the preset's and the added plugin's.
    expect(report.rules).toContain("code-execution/dangerous-global");
    expect(report.rules).toContain("test/bad-value");
  });

  it("the report's rules leave out those the config turns off", async () => {
    const result = await scanWithConfig({ rules: { "code-execution/non-allowlisted-global": "off" } });
    const report = JSON.parse(result.stdout);
    expect(report.rules).toContain("code-execution/dangerous-global");
    expect(report.rules).not.toContain("code-execution/non-allowlisted-global");
  });

  it('replace the preset only with "extends": []', async () => {
    const result = await scanWithConfig({ extends: [], plugins: [TEST_PLUGIN] });
    const report = JSON.parse(result.stdout);
    expect(report.plugins).toEqual([{ name: "modelaudit-plugin-cli-test", version: "9.8.7" }]);
    expect(report.rules.every((rule: string) => rule.startsWith("test/"))).toBe(true);
    expect(report.findings).toEqual([]);
  });
});

describe("a config checked at start-up", () => {
  const cases: [string, object, string][] = [
    [
      "a typo'd option key",
      { options: { "code-execution": { allowx: ["os.system"] } } },
      "options.code-execution.allowx: unknown option (known: allow, deny)",
    ],
    [
      "an unknown option namespace",
      { options: { "code-exec": { allow: [] } } },
      'options.code-exec: no loaded plugin has the namespace "code-exec"',
    ],
    [
      "a malformed denySha256",
      { options: { "supply-chain": { denySha256: ["not-a-digest"] } } },
      "options.supply-chain.denySha256[0]: must be a 64-hex SHA-256 digest",
    ],
    [
      "an invalid custom regex",
      { options: { secrets: { patterns: [{ id: "acme", regex: "acme_(" }] } } },
      "options.secrets.patterns[0].regex: Invalid regular expression",
    ],
    [
      "a rule in an unknown namespace",
      { rules: { "code-exec/dangerous-global": "off" } },
      'rules["code-exec/dangerous-global"]: unknown rule id',
    ],
    [
      "a rule its plugin does not define",
      { rules: { "code-execution/dangerous-globals": "off" } },
      '@modelaudit/detector-code-execution has no rule "dangerous-globals"',
    ],
    [
      "a bad severity",
      { rules: { "code-execution/dangerous-global": "high" } },
      'rules["code-execution/dangerous-global"]: expected off, critical, warning or info',
    ],
    ["an unknown top-level key", { extend: [] }, 'unknown field "extend"'],
  ];
  it.each(cases)("%s exits 2 naming the key, without a stack trace", async (_name, config, message) => {
    const result = await scanWithConfig(config);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("modelaudit.config.json");
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

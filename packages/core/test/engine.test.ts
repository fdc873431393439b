import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildRegistry, PluginError } from "../src/engine/registry.js";
import { API_VERSION, definePlugin } from "../src/plugin.js";
import { CWE_502 } from "../src/references.js";
import { scanBytes, scanPaths } from "../src/testing/index.js";
import { toyPlugin } from "./test-plugin.js";

/** Directories a test made under the temp dir: removed after it. */
const scratch: string[] = [];
afterEach(async () => {
  for (const directory of scratch.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function scratchDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  scratch.push(directory);
  return directory;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("engine", () => {
  it("reports a clean file with passed and skipped checks and a sha256", async () => {
    const report = await scanBytes("a.toy", bytes("TOY\nimport numpy ndarray"), [toyPlugin]);
    expect(report.files).toHaveLength(1);
    const [file] = report.files;
    expect(file?.outcome).toBe("clean");
    expect(file?.formats).toEqual(["toy"]);
    expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.summary.exitCode).toBe(0);
    expect(report.checks.map((check) => [check.ruleId, check.status])).toEqual([
      ["toy/evil-import", "passed"],
      ["toy/never-fires", "passed"],
    ]);
  });

  it("turns a detector report into a finding with rule metadata and exit 1", async () => {
    const report = await scanBytes("a.toy", bytes("TOY\nimport evil run"), [toyPlugin]);
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({
      ruleId: "toy/evil-import",
      severity: "critical",
      confidence: 0.9,
      detector: "toy-detector",
      messageId: "evilImport",
      message: "evil.run is evil",
      memberChain: [],
      location: { offset: 0 },
      remediation: "do not load it",
      references: [CWE_502],
    });
    expect(report.files[0]?.outcome).toBe("findings");
    expect(report.summary.exitCode).toBe(1);
    expect(report.checks.find((check) => check.ruleId === "toy/evil-import")?.status).toBe("failed");
  });

  it("scans nested sources with their member chain", async () => {
    const report = await scanBytes("a.toy", bytes("TOY\nnest TOY\\nimport evil deep"), [toyPlugin]);
    expect(report.findings[0]?.memberChain).toEqual(["nested@0"]);
    expect(report.files[0]?.members).toBe(1);
  });

  it("bounds nesting depth and reports the artifact inconclusive", async () => {
    const report = await scanBytes("deep.toy", bytes(`TOY\nnest TOY\\nnest TOY\\nnest TOY`), [toyPlugin], {
      limits: { maxDepth: 1 },
    });
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join("\n")).toMatch(/nesting deeper than 1/);
    expect(report.summary.exitCode).toBe(2);
  });

  it("never crashes on a handler exception: inconclusive with the reason", async () => {
    const report = await scanBytes("a.toy", bytes("TOY\nimport evil first\nthrow"), [toyPlugin]);
    expect(report.files[0]?.reasons.join()).toMatch(/toy could not parse it: toy parser exploded/);
    // The finding seen before the failure still counts.
    expect(report.findings).toHaveLength(1);
    expect(report.files[0]?.outcome).toBe("findings");
    expect(report.summary.exitCode).toBe(1);
  });

  it("stops a handler that runs past the time limit", async () => {
    const started = Date.now();
    const report = await scanBytes("a.toy", bytes("TOY\nloop"), [toyPlugin], { limits: { timeoutMs: 50 } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join()).toMatch(/time limit/);
  });

  it("applies rule severity overrides and disabled rules from config", async () => {
    const warning = await scanBytes("a.toy", bytes("TOY\nimport evil run"), [toyPlugin], {
      rules: { "toy/evil-import": "warning" },
    });
    expect(warning.findings[0]?.severity).toBe("warning");
    const off = await scanBytes("a.toy", bytes("TOY\nimport evil run"), [toyPlugin], {
      rules: { "toy/evil-import": "off" },
    });
    expect(off.findings).toHaveLength(0);
    expect(off.checks.find((check) => check.ruleId === "toy/evil-import")).toMatchObject({
      status: "skipped",
      reason: "disabled in config",
    });
    const failOnCritical = await scanBytes("a.toy", bytes("TOY\nimport evil run"), [toyPlugin], {
      rules: { "toy/evil-import": "warning" },
      failOn: "critical",
    });
    expect(failOnCritical.summary.exitCode).toBe(0);
  });

  it("gives unclaimed files no format and skipped checks", async () => {
    const report = await scanBytes("readme.txt", bytes("hello"), [toyPlugin]);
    expect(report.files[0]).toMatchObject({ outcome: "clean", formats: [] });
    expect(report.checks.every((check) => check.status === "skipped")).toBe(true);
  });

  it("walks directories without filtering by extension, honours ignore, and reports missing paths", async () => {
    const directory = await scratchDirectory("modelaudit-walk-");
    await mkdir(path.join(directory, "sub", "skip"), { recursive: true });
    await writeFile(path.join(directory, "model.safetensors"), "TOY\nimport evil a");
    await writeFile(path.join(directory, "sub", "noext"), "TOY\nimport evil b");
    await writeFile(path.join(directory, "sub", "skip", "x.bin"), "TOY\nimport evil c");
    await symlink(directory, path.join(directory, "sub", "loop"));
    const report = await scanPaths([directory, path.join(directory, "missing.pt")], [toyPlugin], {
      ignore: ["sub/skip"],
    });
    expect(report.files.map((file) => path.relative(directory, file.path)).sort()).toEqual([
      "missing.pt",
      "model.safetensors",
      "sub/noext",
    ]);
    expect(report.files.find((file) => file.path.endsWith("missing.pt"))?.outcome).toBe("error");
    expect(report.summary.exitCode).toBe(1);
  });

  it("orders files and findings deterministically", async () => {
    const directory = await scratchDirectory("modelaudit-order-");
    for (const name of ["b.toy", "a.toy", "c.toy"]) {
      await writeFile(path.join(directory, name), "TOY\nimport evil z\nimport evil a");
    }
    const first = await scanPaths([directory], [toyPlugin]);
    const second = await scanPaths([directory], [toyPlugin]);
    expect(first.files.map((file) => path.basename(file.path))).toEqual(["a.toy", "b.toy", "c.toy"]);
    const strip = (report: typeof first) => report.findings.map((finding) => `${finding.file}:${finding.message}`);
    expect(strip(first)).toEqual(strip(second));
  });
});

describe("registry", () => {
  it("rejects plugins for another API version, unnamed rules and duplicate namespaces", () => {
    const wrongApi = definePlugin({ meta: { name: "old", version: "1.0.0" }, apiVersion: API_VERSION + 1 });
    expect(() => buildRegistry([wrongApi])).toThrow(PluginError);
    const twin = definePlugin({ ...toyPlugin, formats: [], meta: { ...toyPlugin.meta, name: "toy-twin" } });
    expect(() => buildRegistry([toyPlugin, twin])).toThrow(/namespace toy is used by both/);
    const noNamespace = definePlugin({
      meta: { name: "x", version: "1" },
      apiVersion: API_VERSION,
      rules: toyPlugin.rules,
    });
    expect(() => buildRegistry([noNamespace])).toThrow(/no meta.namespace/);
  });

  it("flattens presets and ignores the same plugin twice", () => {
    const registry = buildRegistry([{ meta: { name: "preset", version: "1" }, plugins: [toyPlugin] }, toyPlugin]);
    expect(registry.plugins).toHaveLength(1);
    expect([...registry.rules.keys()]).toEqual(["toy/evil-import", "toy/never-fires"]);
  });
});

describe("detectors limited to some scan levels", () => {
  it("report their checks skipped, with the level they need, at other levels", async () => {
    const thoroughOnly = definePlugin({
      ...toyPlugin,
      meta: { ...toyPlugin.meta, name: "toy-thorough" },
      formats: [],
      detectors: toyPlugin.detectors.map((detector) => ({ ...detector, levels: ["thorough"] as const })),
    });
    const formatOnly = definePlugin({
      meta: { name: "toy-format", version: "1" },
      apiVersion: API_VERSION,
      formats: toyPlugin.formats,
    });
    const standard = await scanBytes("a.toy", bytes("TOY\nimport numpy x"), [formatOnly, thoroughOnly]);
    expect(standard.checks.map((check) => [check.status, check.reason])).toEqual([
      ["skipped", "runs at the thorough level, not standard"],
      ["skipped", "runs at the thorough level, not standard"],
    ]);
    const thorough = await scanBytes("a.toy", bytes("TOY\nimport numpy x"), [formatOnly, thoroughOnly], {
      level: "thorough",
    });
    expect(thorough.checks.map((check) => check.status)).toEqual(["passed", "passed"]);
  });
});

describe("detectors that cannot judge everything", () => {
  it("make the artifact inconclusive with their reason, never clean", async () => {
    const bounded = definePlugin({
      meta: { name: "bounded", version: "1" },
      apiVersion: API_VERSION,
      detectors: [
        {
          id: "bounded",
          description: "gives up on imports",
          facts: ["import"],
          rules: [],
          create: (context) => ({
            onFact: (_fact, origin) => context.inconclusive("too many imports to judge", origin),
          }),
        },
      ],
    });
    const formatOnly = definePlugin({
      meta: { name: "toy-format", version: "1" },
      apiVersion: API_VERSION,
      formats: toyPlugin.formats,
    });
    const report = await scanBytes("a.toy", bytes("TOY\nimport numpy x"), [formatOnly, bounded]);
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join()).toMatch(/bounded: too many imports to judge/);
    expect(report.summary.exitCode).toBe(2);
  });
});

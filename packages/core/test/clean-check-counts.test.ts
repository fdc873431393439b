import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config.js";
import { buildRegistry } from "../src/engine/registry.js";
import { scan } from "../src/engine/scan.js";
import { API_VERSION, type Detector, definePlugin, defineRule, type Rule } from "../src/plugin.js";
import { factsBytes, factsPlugin } from "../src/testing/index.js";

const rule = (severity: "warning" | "info"): Rule =>
  defineRule({
    meta: {
      description: "a rule",
      severity,
      confidence: 0.5,
      recommended: true,
      remediation: "none",
      references: [],
      messages: { found: "found {{text}}", noted: "noted {{text}}" },
    },
  });

/**
 * Detectors in each state a clean file's checks can be in: fed and silent (one rule off in the
 * config), never fed, idle at the scan's level, noting a rule, firing on one file only.
 */
const detectors: Detector[] = [
  {
    id: "fed",
    description: "",
    facts: ["text"],
    rules: ["fed-a", "fed-off", "fed-c"],
    create: () => ({ onFact() {} }),
  },
  { id: "unfed", description: "", facts: ["tensor"], rules: ["unfed-a", "unfed-b"], create: () => ({}) },
  {
    id: "idle",
    description: "",
    facts: ["text"],
    rules: ["idle-a", "idle-b"],
    levels: ["thorough"],
    create: () => ({ onFact() {} }),
  },
  {
    id: "noting",
    description: "",
    facts: ["text"],
    rules: ["noted", "silent"],
    create: (context) => ({
      onFact(fact) {
        if (fact.kind === "text") context.note?.({ rule: "noted", messageId: "noted", data: { text: fact.text } });
      },
    }),
  },
  {
    id: "firing",
    description: "",
    facts: ["text"],
    rules: ["fires", "quiet"],
    create: (context) => ({
      onFact(fact, origin) {
        if (fact.kind === "text" && fact.text === "bad") {
          context.report({ rule: "fires", messageId: "found", data: { text: fact.text }, origin });
        }
      },
    }),
  },
];

const plugin = definePlugin({
  meta: { name: "check-states", version: "0.0.0", namespace: "states" },
  apiVersion: API_VERSION,
  detectors,
  rules: Object.fromEntries(
    detectors.flatMap((detector) => detector.rules).map((id) => [id, rule(id === "fires" ? "warning" : "info")]),
  ),
});

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-checks-"));
  await writeFile(path.join(directory, "clean.json"), factsBytes({ facts: [{ kind: "text", text: "fine" }] }));
  await writeFile(path.join(directory, "bad.json"), factsBytes({ facts: [{ kind: "text", text: "bad" }] }));
  await writeFile(path.join(directory, "plain.txt"), "no facts here");
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("clean files' checks counted, not listed", () => {
  it("counts every state as the full listing does, and lists the checks with notes", async () => {
    const registry = buildRegistry([factsPlugin, plugin]);
    const config = resolveConfig({ rules: { "states/fed-off": "off" } });
    const full = await scan([directory], { registry, config, concurrency: 1 });
    const compact = await scan([directory], { registry, config, concurrency: 1, omitCleanChecks: true });

    expect(compact.summary.checks).toEqual(full.summary.checks);
    const count = (checks: { status: string }[], status: string) => checks.filter((c) => c.status === status).length;
    expect(full.summary.checks).toEqual({
      passed: count(full.checks, "passed"),
      failed: count(full.checks, "failed"),
      skipped: count(full.checks, "skipped"),
    });
    // 11 rules for each of 3 files; the firing file's checks are all listed, clean files' only noted ones.
    expect(full.checks).toHaveLength(33);
    const listed = compact.checks.map((check) => `${path.basename(check.file)} ${check.ruleId} ${check.status}`);
    expect(listed.filter((entry) => entry.startsWith("bad.json"))).toHaveLength(11);
    expect(listed.filter((entry) => !entry.startsWith("bad.json"))).toEqual(["clean.json states/noted passed"]);
    expect(compact.checks).toEqual(full.checks.filter((check) => check.file.endsWith("bad.json") || check.notes));

    // Per file and rule, the statuses a clean file's counts stand for.
    const statusOf = (file: string, ruleId: string) =>
      full.checks.find((check) => path.basename(check.file) === file && check.ruleId === ruleId)?.status;
    expect(statusOf("clean.json", "states/fed-a")).toBe("passed");
    expect(statusOf("clean.json", "states/fed-off")).toBe("skipped");
    expect(statusOf("clean.json", "states/unfed-a")).toBe("skipped");
    expect(statusOf("clean.json", "states/idle-a")).toBe("skipped");
    expect(statusOf("plain.txt", "states/fed-a")).toBe("skipped");
    expect(statusOf("bad.json", "states/fires")).toBe("failed");
  });
});

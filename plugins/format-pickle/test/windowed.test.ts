import { readFileSync } from "node:fs";
import path from "node:path";
import type { Fact } from "@modelaudit/core";
import { type Config, resolveConfig } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { SHARED_FIXTURES } from "./helpers.js";

// A source over the in-memory limit is read through a window: a legacy torch file's pickles fit in
// it and its storages need only their size records, so such a file is fully checked; a pickle that
// runs past the window is inconclusive, never clean.
const legacy = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "torch_legacy_state_dict.pt")));

function factsPlugin(sink: Fact[]) {
  return {
    ...plugin,
    detectors: [
      {
        id: "fact-sink",
        description: "collects facts",
        facts: ["import", "tensor", "anomaly"] as const,
        rules: [],
        create: () => ({ onFact: (fact: Fact) => void sink.push(fact) }),
      },
    ],
    meta: { ...plugin.meta, namespace: "fact-sink" },
  };
}

describe("sources over the in-memory limit", () => {
  it("reads a legacy torch file whose storages lie past the window", async () => {
    // Where the storages start, from a scan with no window.
    const whole: Fact[] = [];
    await scanBytes("old.pt", legacy, [factsPlugin(whole)]);
    const firstStorage = Math.min(
      ...whole.flatMap((fact) => (fact.kind === "tensor" && fact.data !== undefined ? [fact.data.offset] : [])),
    );
    // The window ends inside the first storage's data, after the five pickles.
    const limits: Config["limits"] = { maxInMemoryBytes: firstStorage + 4 };
    expect(resolveConfig({ limits }).limits.maxInMemoryBytes).toBeLessThan(legacy.length);
    const facts: Fact[] = [];
    const report = await scanBytes("old.pt", legacy, [factsPlugin(facts)], { limits });
    expect(report.files[0]?.formats).toContain("pytorch-legacy");
    expect(report.files[0]?.reasons).toEqual([]);
    expect(facts.filter((fact) => fact.kind === "tensor")).toEqual(whole.filter((fact) => fact.kind === "tensor"));
    expect(facts.filter((fact) => fact.kind === "anomaly")).toEqual([]);
  });

  it("marks a pickle that runs past the window inconclusive", async () => {
    const report = await scanBytes("old.pt", legacy, [plugin], { limits: { maxInMemoryBytes: 64 } });
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join()).toMatch(/in-memory limit/);
  });
});

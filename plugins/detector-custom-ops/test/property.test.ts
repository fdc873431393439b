import type { Fact, GraphFramework } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { scanFacts } from "./facts-handler.js";

const ALPHABET = "abcXYZ019._-/\\:~ \u0000\u00e9\u{1F600}PyOpFlexso.dll..";
const FRAMEWORKS: GraphFramework[] = ["onnx", "tensorflow", "tflite", "torchscript", "keras", "other"];

function randomString(next: () => number, max: number): string {
  const length = Math.floor(next() * max);
  let text = "";
  for (let index = 0; index < length; index++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function randomFact(next: () => number): Fact {
  const pick = next();
  if (pick < 0.5) {
    return {
      kind: "graph-node",
      framework: FRAMEWORKS[Math.floor(next() * FRAMEWORKS.length)]!,
      op: randomString(next, 20),
      ...(next() < 0.8 && { domain: randomString(next, 12) }),
      ...(next() < 0.7 && { location: { path: randomString(next, 30) } }),
      ...(next() < 0.3 && { attributes: { output_stream: randomString(next, 20) } }),
    };
  }
  if (pick < 0.75)
    return { kind: "entry", name: randomString(next, 40), type: next() < 0.8 ? "file" : "directory", size: 1 };
  return {
    kind: "reference",
    target: randomString(next, 40),
    referenceKind: "path",
    ...(next() < 0.5 && { key: randomString(next, 20) }),
  };
}

describe("hostile facts", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: random facts never make the detector fail", async (seed) => {
    const next = seededRandom(seed);
    const facts = Array.from({ length: 300 }, () => randomFact(next));
    const report = await scanFacts(facts);
    expect(report.files[0]!.outcome).not.toBe("error");
    expect(report.files[0]!.reasons.filter((reason) => reason.includes("detector custom-ops failed"))).toEqual([]);
    for (const finding of report.findings) expect(finding.message).not.toMatch(/\{\{/);
  });

  it("judges 100 000 operators in bounded time", async () => {
    const facts: Fact[] = Array.from({ length: 100_000 }, (_, index) => ({
      kind: "graph-node",
      framework: "onnx",
      domain: index % 1000 === 0 ? "com.evil" : "",
      op: "MatMul",
      location: { path: `graph/node[${index}]` },
    }));
    const started = performance.now();
    const report = await scanFacts(facts);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(report.findings).toHaveLength(100);
  });
});

import { readFileSync } from "node:fs";
import { parseWith, protobufFields } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import plugin from "../src/index.js";
import { anomalies, FIXTURES_ROOT, nodes, references } from "./helpers.js";

// tooling/fixtures/differential-onnx: models whose ModelProto fields come in orders, repetitions
// and concatenations protobuf accepts and no writer produces, each with what onnx.load reached.
const DIFFERENTIAL = `${FIXTURES_ROOT}differential-onnx/`;

interface Entry {
  file: string;
  expect: string;
  rules: string[];
  reached: { ops?: string[]; paths?: string[] };
}

const entries = JSON.parse(readFileSync(`${DIFFERENTIAL}manifest.json`, "utf8")) as Entry[];

const parse = (file: string) => parseWith(plugin.formats, file, readFileSync(`${DIFFERENTIAL}${file}`));

describe("differential-onnx: every file read as onnx.load reads it", () => {
  test("the family holds adversarial and benign files", () => {
    expect(entries.filter((entry) => entry.expect === "findings").length).toBeGreaterThanOrEqual(8);
    expect(entries.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(3);
  });

  test.each(entries.map((entry) => [entry.file, entry] as const))("%s", async (file, entry) => {
    const parsed = await parse(file);
    // Claimed by content, whatever the field order or the file name, and read to the end.
    expect(parsed.formats).toEqual(["onnx"]);
    expect(parsed.inconclusive).toEqual([]);
    const ops = new Set(nodes(parsed.facts).map((node) => (node.domain ? `${node.domain}::${node.op}` : node.op)));
    for (const op of entry.reached.ops ?? []) expect(ops, `${file} reaches ${op}`).toContain(op);
    const targets = new Set(references(parsed.facts).map((reference) => reference.target));
    for (const path of entry.reached.paths ?? []) expect(targets, `${file} reaches ${path}`).toContain(path);
    const differential = anomalies(parsed.facts).filter((fact) => fact.code === "parser-differential");
    const expected = entry.rules.includes("code-execution/parser-differential");
    expect(differential.length > 0, `${file}: ${differential.map((fact) => fact.message).join("; ")}`).toBe(expected);
  });

  test("a node whose domain is written twice is judged in both readings, the loader's first", async () => {
    const parsed = await parse("node_domain_twice.onnx");
    expect(nodes(parsed.facts).map((node) => [node.domain, node.op, node.location?.path])).toEqual([
      ["com.modelaudit.fixture", "Relu", "graph/node[0]"],
      ["", "Relu", "graph/node[0]/earlier-reading"],
    ]);
  });

  test("two external data locations: both are references, the one onnx keeps among them", async () => {
    const parsed = await parse("external_location_twice.onnx");
    expect(references(parsed.facts).map((reference) => reference.target)).toEqual([
      "weights.bin",
      "../../../../tmp/modelaudit-fixture",
    ]);
  });

  test("a graph written twice is merged: the nodes of both copies, in file order", async () => {
    const parsed = await parse("graph_twice_merged.onnx");
    expect(nodes(parsed.facts).map((node) => node.op)).toEqual(["FileReader", "Relu", "Identity"]);
  });
});

/** Offsets where a top-level field starts: a cut there leaves a whole, shorter message. */
function fieldStarts(bytes: Uint8Array): Set<number> {
  return new Set(protobufFields(bytes).map((field) => field.start));
}

test("an adversarial model cut anywhere inside a field is still claimed, and inconclusive or still showing its operators", async () => {
  let cuts = 0;
  const unclaimed: string[] = [];
  for (const entry of entries.filter((item) => item.expect === "findings")) {
    const bytes = new Uint8Array(readFileSync(`${DIFFERENTIAL}${entry.file}`));
    const starts = fieldStarts(bytes);
    for (let cut = 1; cut < bytes.length; cut += cut < 64 ? 1 : Math.ceil(bytes.length / 48)) {
      if (starts.has(cut)) continue;
      cuts++;
      const parsed = await parseWith(plugin.formats, entry.file, bytes.subarray(0, cut));
      const where = `${entry.file} cut at ${cut}`;
      if (parsed.formats.length === 0) {
        // Under a .bin name, a cut before any operator shows nothing ONNX-specific; the engine reports an
        // unclaimed file with a model extension as inconclusive by its name.
        if (!entry.file.endsWith(".bin")) unclaimed.push(where);
        continue;
      }
      expect(parsed.inconclusive.length, where).toBeGreaterThan(0);
    }
  }
  expect(cuts).toBeGreaterThan(500);
  expect(unclaimed).toEqual([]);
});

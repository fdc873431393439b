import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AnomalyFact } from "@modelaudit/core";
import { protobufFields } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import { graphNodes, parse } from "./helpers.js";

// tooling/fixtures/differential-tf: TensorFlow protobufs with fields in orders, repetitions and
// unknown fields protobuf accepts, each with the ops protobuf's ParseFromString (TensorFlow's) reached.
const DIFFERENTIAL = fileURLToPath(new URL("../../../tooling/fixtures/differential-tf/", import.meta.url));

interface Entry {
  file: string;
  expect: string;
  rules: string[];
  reached: { ops?: string[]; paths?: string[] };
}

const entries = JSON.parse(readFileSync(`${DIFFERENTIAL}manifest.json`, "utf8")) as Entry[];

const HANDLER: [RegExp, string][] = [
  [/saved_model\.pb$/, "tensorflow-savedmodel"],
  [/\.meta$/, "tensorflow-metagraph"],
  [/\.pb$/, "tensorflow-graphdef"],
];

describe("differential-tf: every file read as TensorFlow's protobuf reads it", () => {
  test.each(entries.map((entry) => [entry.file, entry] as const))("%s", async (file, entry) => {
    const bytes = new Uint8Array(readFileSync(`${DIFFERENTIAL}${file}`));
    const parsed = await parse(file, bytes);
    const handler = HANDLER.find(([pattern]) => pattern.test(file))?.[1];
    expect(parsed.formats).toEqual([handler]);
    expect(parsed.inconclusive).toEqual([]);
    const ops = new Set(graphNodes(parsed.facts).map((node) => node.op));
    for (const op of entry.reached.ops ?? []) expect(ops, `${file} reaches ${op}`).toContain(op);
    const targets = new Set(parsed.facts.flatMap((fact) => (fact.kind === "reference" ? [fact.target] : [])));
    for (const path of entry.reached.paths ?? []) expect(targets, `${file} opens ${path}`).toContain(path);
    const differential = parsed.facts.filter(
      (fact): fact is AnomalyFact => fact.kind === "anomaly" && fact.code === "parser-differential",
    );
    expect(differential.length > 0).toBe(entry.rules.includes("code-execution/parser-differential"));
    // Renamed, a GraphDef or MetaGraphDef is still claimed by content whatever its field order.
    if (!file.endsWith("saved_model.pb")) {
      expect((await parse("renamed.bin", bytes)).formats, `${file} as .bin`).toEqual([handler]);
    }
  });

  test("file and network ops name what they open: the string Const they are given, or their own attribute", async () => {
    const file = "savedmodel_unknown_field/saved_model.pb";
    const parsed = await parse(file, new Uint8Array(readFileSync(`${DIFFERENTIAL}${file}`)));
    const references = parsed.facts.flatMap((fact) =>
      fact.kind === "reference" ? [[fact.key, fact.referenceKind, fact.target]] : [],
    );
    expect(references).toEqual([
      ["ImmutableConst", "path", "/tmp/modelaudit-fixture"],
      ["PrintV2", "url", "file:///tmp/modelaudit-fixture"],
    ]);
    const rpc = "graphdef_node_fields_reversed.pb";
    const calls = await parse(rpc, new Uint8Array(readFileSync(`${DIFFERENTIAL}${rpc}`)));
    expect(calls.facts.flatMap((fact) => (fact.kind === "reference" ? [[fact.key, fact.target]] : []))).toEqual([
      ["RpcClient", "127.0.0.1:2222"],
    ]);
  });

  test("tfdbg debug URLs are references too", async () => {
    const file = "metagraph_graph_def_twice.meta";
    const parsed = await parse(file, new Uint8Array(readFileSync(`${DIFFERENTIAL}${file}`)));
    const references = parsed.facts.flatMap((fact) =>
      fact.kind === "reference" ? [[fact.key, fact.referenceKind, fact.target]] : [],
    );
    expect(references).toEqual([
      ["WriteFile", "path", "/tmp/modelaudit-fixture"],
      ["DebugIdentityV2", "url", "grpc://127.0.0.1:6064"],
    ]);
  });

  test("a NodeDef naming its op twice: the loader's op and the earlier reading", async () => {
    const parsed = await parse(
      "graphdef_op_twice.pb",
      new Uint8Array(readFileSync(`${DIFFERENTIAL}graphdef_op_twice.pb`)),
    );
    expect(graphNodes(parsed.facts).map((node) => [node.op, node.location?.path])).toEqual([
      ["Const", "graph/node[0]"],
      ["Const", "graph/node[1]"],
      ["WriteFile", "graph/node[2]"],
      ["Identity", "graph/node[2]/earlier-reading"],
    ]);
  });
});

test("unknown fields, groups among them, are skipped as protobuf skips them", async () => {
  const graph = new Uint8Array(readFileSync(`${DIFFERENTIAL}graphdef_versions_first_read_write.pb`));
  // Group 99 (start tag 0x9b 0x06, a varint field inside, end tag 0x9c 0x06) and a varint field 100.
  const unknown = [0x9b, 0x06, 0x08, 0x01, 0x9c, 0x06, 0xa0, 0x06, 0x2a];
  const bytes = new Uint8Array([...unknown, ...graph]);
  for (const name of ["frozen.pb", "frozen.graph"]) {
    const parsed = await parse(name, bytes);
    expect(parsed.formats, name).toEqual(["tensorflow-graphdef"]);
    expect(parsed.inconclusive, name).toEqual([]);
    expect(graphNodes(parsed.facts).map((node) => node.op)).toContain("WriteFile");
  }
});

/** Offsets where a top-level field starts: a cut there leaves a whole, shorter message. */
function fieldStarts(bytes: Uint8Array): Set<number> {
  return new Set(protobufFields(bytes).map((field) => field.start));
}

test("an adversarial file cut anywhere inside a field is claimed and inconclusive", async () => {
  let cuts = 0;
  const unclaimed: string[] = [];
  for (const entry of entries.filter((item) => item.expect === "findings")) {
    const bytes = new Uint8Array(readFileSync(`${DIFFERENTIAL}${entry.file}`));
    const starts = fieldStarts(bytes);
    for (let cut = 1; cut < bytes.length; cut += cut < 64 ? 1 : Math.ceil(bytes.length / 48)) {
      if (starts.has(cut)) continue;
      cuts++;
      const parsed = await parse(entry.file, bytes.subarray(0, cut));
      const where = `${entry.file} cut at ${cut}`;
      if (parsed.formats.length === 0) {
        // A .pb cut before its first node shows nothing TensorFlow-specific; the engine reports an
        // unclaimed file with a model extension (.pb) as inconclusive by its name.
        if (!entry.file.endsWith(".pb") || entry.file.endsWith("saved_model.pb")) unclaimed.push(where);
        continue;
      }
      expect(parsed.inconclusive.length, where).toBeGreaterThan(0);
    }
  }
  expect(cuts).toBeGreaterThan(300);
  expect(unclaimed).toEqual([]);
});

test("a NodeDef whose attribute pushes its op past the 64 KiB sniff head is still a GraphDef under .pb", async () => {
  const encoder = new TextEncoder();
  const varint = (value: number): number[] => {
    const out: number[] = [];
    for (let rest = value; ; rest = Math.floor(rest / 128)) {
      if (rest < 128) return [...out, rest];
      out.push((rest % 128) | 0x80);
    }
  };
  const field = (number: number, payload: number[] | Uint8Array) => [
    ...varint(number * 8 + 2),
    ...varint(payload.length),
    ...payload,
  ];
  const big = new Uint8Array(70 * 1024).fill(0x61);
  const attr = field(5, [...field(1, encoder.encode("message")), ...field(2, field(2, big))]); // map entry: key, AttrValue{s}
  const node = field(1, [...attr, ...field(2, encoder.encode("WriteFile")), ...field(1, encoder.encode("w"))]);
  const bytes = Uint8Array.from(node);
  const parsed = await parse("frozen.pb", bytes);
  expect(parsed.formats).toEqual(["tensorflow-graphdef"]);
  expect(graphNodes(parsed.facts).map((item) => item.op)).toEqual(["WriteFile"]);
  // Under a name that does not say GraphDef, the op is not visible to the sniffer: not claimed.
  expect((await parse("frozen.dat", bytes)).formats).toEqual([]);
});

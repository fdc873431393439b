import type { Fact, ParseContext, Source } from "@modelaudit/core";
import { BufferSource, DEFAULT_LIMITS } from "@modelaudit/core";
import { describe, expect, test } from "vitest";
import { readHeader, validateHeaderText } from "../src/header.js";
import { safetensorsIndexHandler } from "../src/index-handler.js";
import { scanJson } from "../src/json-scan.js";

/** A source of `size` bytes whose first bytes are `head` and the rest zeros, without allocating them. */
function hugeSource(head: Uint8Array, size: number): Source & { bytesRead: number } {
  const source = {
    name: "huge.safetensors",
    size,
    bytesRead: 0,
    async read(offset: number, length: number) {
      const wanted = Math.max(0, Math.min(length, size - offset));
      source.bytesRead += wanted;
      const out = new Uint8Array(wanted);
      if (offset < head.length) out.set(head.subarray(offset, offset + wanted));
      return out;
    },
  };
  return source;
}

function safetensorsHead(header: object): Uint8Array {
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const bytes = new Uint8Array(8 + json.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(new TextEncoder().encode(json), 8);
  return bytes;
}

describe("files larger than 4 GiB", () => {
  test("offsets past 2^32 are exact and only the header is read", async () => {
    const big = 6 * 1024 ** 3; // 6 GiB of BF16
    const header = {
      "a.weight": { dtype: "BF16", shape: [big / 2], data_offsets: [0, big] },
      "b.weight": { dtype: "F32", shape: [1024, 1024], data_offsets: [big, big + 4 * 1024 ** 2] },
    };
    const head = safetensorsHead(header);
    const source = hugeSource(head, head.length + big + 4 * 1024 ** 2);
    const result = await readHeader(source, DEFAULT_LIMITS.maxInMemoryBytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.header.problems).toEqual([]);
    expect(result.header.tensors[1]).toMatchObject({
      name: "b.weight",
      begin: BigInt(big),
      end: BigInt(big + 4 * 1024 ** 2),
    });
    expect(source.bytesRead).toBe(head.length);
  });
});

describe("strict JSON", () => {
  test("duplicate keys are reported at every depth; JSON.parse would hide them", () => {
    const text = '{"a":{"x":1,"x":2},"b":[],"a":3}';
    expect(scanJson(text).duplicates).toEqual([
      { path: "$.a", key: "x", offset: 12 },
      { path: "$", key: "a", offset: 26 },
    ]);
  });

  test("numbers keep their exact text beyond 2^53", () => {
    const header = validateHeaderText(
      '{"t":{"dtype":"U8","shape":[9007199254740993],"data_offsets":[0,9007199254740993]}}',
      0,
      9007199254740993n,
    );
    expect(header.problems.map((problem) => problem.message)).toEqual([
      'tensor "t": shape holds something other than a non-negative integer',
    ]);
    const exact = validateHeaderText(
      '{"t":{"dtype":"U8","shape":[3],"data_offsets":[0,9007199254740993]}}',
      0,
      2n ** 60n,
    );
    expect(exact.problems[0]?.message).toBe(
      'tensor "t": U8 × [3] needs 3 bytes but data_offsets span 9007199254740993',
    );
  });

  test("floats, negatives and nesting bombs are refused without a crash", () => {
    expect(validateHeaderText('{"t":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}', 0, 1n).problems).toHaveLength(
      1,
    );
    expect(validateHeaderText('{"t":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}', 0, 1n).problems[0]?.code).toBe(
      "malformed",
    );
    expect(validateHeaderText(`${"[".repeat(100000)}`, 0, 0n).problems[0]?.message).toMatch(/nesting deeper than 64/);
  });

  test("an unknown tensor field is an unusual-structure anomaly, not a refusal", () => {
    const header = validateHeaderText('{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"note":"x"}}', 0, 1n);
    expect(header.problems).toEqual([
      { code: "unusual-structure", message: 'tensor "t" has an unknown field "note"', path: "t", rejects: false },
    ]);
  });

  test("a header length over 100 MB is refused before reading it", async () => {
    const head = new Uint8Array(16);
    new DataView(head.buffer).setBigUint64(0, 200_000_000n, true);
    head[8] = 0x7b;
    const source = hugeSource(head, 300_000_000);
    const result = await readHeader(source, DEFAULT_LIMITS.maxInMemoryBytes);
    expect(result).toMatchObject({ ok: false, problem: { code: "limit-exceeded" } });
    expect(source.bytesRead).toBe(8);
  });
});

describe("index inside an archive", () => {
  test("says the shards could not be checked", async () => {
    const facts: Fact[] = [];
    const reasons: string[] = [];
    const bytes = new TextEncoder().encode('{"weight_map":{"w":"model-00001-of-00001.safetensors"}}');
    const context: ParseContext = {
      source: new BufferSource("model.safetensors.index.json", bytes),
      file: "/tmp/model.zip",
      memberChain: ["model.safetensors.index.json"],
      limits: DEFAULT_LIMITS,
      level: "standard",
      emit: (fact) => facts.push(fact),
      emitTensor: (fact) => facts.push(fact),
      addFormat: () => undefined,
      scanChild: async () => undefined,
      inconclusive: (reason) => reasons.push(reason),
      checkDeadline: () => undefined,
      chargeInflated: () => undefined,
    };
    await safetensorsIndexHandler.parse(context);
    expect(facts.filter((fact) => fact.kind === "anomaly")).toEqual([
      {
        kind: "anomaly",
        code: "unusual-structure",
        message: "the index sits inside model.safetensors.index.json: its 1 shards could not be checked against it",
        location: {},
      },
    ]);
    expect(reasons).toEqual([]);
  });

  test("a shard name that leaves the folder is never opened", async () => {
    const facts: Fact[] = [];
    const bytes = new TextEncoder().encode('{"weight_map":{"w":"../../etc/passwd"}}');
    const context = {
      source: new BufferSource("model.safetensors.index.json", bytes),
      file: "/tmp/does-not-matter/model.safetensors.index.json",
      memberChain: [],
      limits: DEFAULT_LIMITS,
      level: "standard",
      emit: (fact: Fact) => facts.push(fact),
      emitTensor: (fact: Fact) => facts.push(fact),
      addFormat: () => undefined,
      scanChild: async () => undefined,
      inconclusive: () => undefined,
      checkDeadline: () => undefined,
      chargeInflated: () => undefined,
    } satisfies ParseContext;
    await safetensorsIndexHandler.parse(context);
    expect(
      facts.filter((fact) => fact.kind === "anomaly").map((fact) => fact.kind === "anomaly" && fact.message),
    ).toEqual(['shard name "../../etc/passwd" leaves the model folder; it was not opened']);
  });
});

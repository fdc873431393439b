import type { Detector, Fact } from "@modelaudit/core";
import { API_VERSION, BufferSource, definePlugin, type FormatHandler } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fixture, fixturePath, manifest, ofKind, parse } from "./helpers.js";
import { zipMembers } from "./zip-members.js";

/** A stand-in for the archive handler: claims .keras zips and hands each member over as a child. */
const testZipHandler: FormatHandler = {
  id: "zip",
  description: "test-only zip reader",
  sniff: (input) => input.head[0] === 0x50 && input.head[1] === 0x4b,
  async parse(context) {
    const bytes = await context.source.read(0, context.source.size);
    for (const [name, data] of zipMembers(bytes)) await context.scanChild(name, new BufferSource(name, data));
  },
};

async function parseKeras(file: string) {
  return parse(file, fixture(file), [testZipHandler]);
}

const codeNames = (facts: Fact[]) => ofKind(facts, "code").flatMap((fact) => fact.names ?? []);

describe("Keras 2 H5 fixtures", () => {
  it("a Sequential Dense model gives its layers, weights and config strings, and nothing to judge", async () => {
    const parsed = await parse("keras2_sequential_dense.h5");
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.formats).toEqual(expect.arrayContaining(["keras-h5", "keras"]));
    const nodes = ofKind(parsed.facts, "graph-node");
    expect(nodes.map((node) => [node.op, node.name])).toEqual([
      ["Sequential", "sequential"],
      ["Dense", "dense"],
      ["Dense", "dense_1"],
    ]);
    expect(nodes.every((node) => node.framework === "keras")).toBe(true);
    const tensors = ofKind(parsed.facts, "tensor");
    const kernel = tensors.find((tensor) => tensor.name === "model_weights/dense/dense/kernel:0");
    expect(kernel).toMatchObject({ dtype: "f32", formatDtype: "H5T_IEEE_F32LE", shape: [8, 16] });
    expect(tensors.find((tensor) => tensor.name === "model_weights/dense_1/dense_1/bias:0")?.shape).toEqual([1]);
    expect(ofKind(parsed.facts, "import")).toEqual([]);
    expect(ofKind(parsed.facts, "code")).toEqual([]);
    const texts = ofKind(parsed.facts, "text");
    expect(texts).toContainEqual(expect.objectContaining({ key: "/@keras_version", text: "2.11.0" }));
    expect(texts).toContainEqual(
      expect.objectContaining({ key: "/model_weights@layer_names", text: "dense_1", role: "name" }),
    );
    // training_config is parsed into per-value text facts, never emitted whole.
    expect(texts).toContainEqual(
      expect.objectContaining({ key: "training_config.optimizer_config.class_name", text: "Adam" }),
    );
    expect(texts.some((text) => text.text.startsWith('{"class_name"'))).toBe(false);
  });

  it("a Functional model walks TimeDistributed wrappers and a nested Sequential, ignoring inbound_nodes", async () => {
    const parsed = await parse("keras2_functional_conv.h5");
    expect(parsed.inconclusive).toEqual([]);
    const nodes = ofKind(parsed.facts, "graph-node");
    expect(nodes.map((node) => node.op)).toEqual([
      "Functional",
      "InputLayer",
      "TimeDistributed",
      "Conv2D",
      "TimeDistributed",
      "Flatten",
      "Sequential",
      "Dense",
      "Dense",
    ]);
    expect(nodes.find((node) => node.op === "Conv2D")?.location?.path).toBe(
      "model_config.config.layers[1].config.layer",
    );
    expect(ofKind(parsed.facts, "text").some((text) => text.key?.includes("inbound_nodes"))).toBe(false);
    const shapes = Object.fromEntries(ofKind(parsed.facts, "tensor").map((tensor) => [tensor.name, tensor.shape]));
    expect(shapes["model_weights/time_distributed/time_distributed/kernel:0"]).toEqual([3, 3, 3, 4]);
    expect(shapes["model_weights/head/dense/kernel:0"]).toEqual([144, 8]);
  });

  it("a Lambda calling os.system becomes python-bytecode naming __import__, system and os", async () => {
    const parsed = await parse("keras2_lambda_os_system.h5");
    expect(parsed.inconclusive).toEqual([]);
    const [code] = ofKind(parsed.facts, "code");
    expect(code?.language).toBe("python-bytecode");
    expect(code?.location?.path).toBe("model_config.config.layers[1].config.function[0]");
    expect(code?.names).toEqual(expect.arrayContaining(["__import__", "system", "os", "echo modelaudit-fixture", "x"]));
    expect(code?.text).toContain("LOAD_GLOBAL");
    expect(code?.text).toContain("(__import__)");
    // The base64 itself is not repeated as a config string.
    expect(ofKind(parsed.facts, "text").some((text) => text.key?.endsWith("function[0]"))).toBe(false);
  });

  it("a benign Lambda is decoded too, with nothing dangerous in its names", async () => {
    const parsed = await parse("keras2_lambda_benign.h5");
    expect(parsed.inconclusive).toEqual([]);
    const names = codeNames(parsed.facts);
    expect(names).toContain("x");
    expect(names).not.toContain("system");
    expect(ofKind(parsed.facts, "code")[0]?.text).toMatch(/BINARY_OP|BINARY_MULTIPLY/);
  });

  it("a Lambda naming os.system as a module function is an import", async () => {
    const parsed = await parse("keras2_lambda_module_os_system.h5");
    expect(ofKind(parsed.facts, "import")).toEqual([
      {
        kind: "import",
        module: "os",
        name: "system",
        via: "keras-config",
        location: { path: "model_config.config.layers[1].config.function" },
      },
    ]);
  });

  it("undecodable Lambda bytecode is an anomaly and inconclusive, never skipped", async () => {
    const parsed = await parse("keras2_lambda_garbage_marshal.h5");
    expect(parsed.inconclusive).toHaveLength(1);
    expect(parsed.inconclusive[0]).toMatch(/Lambda bytecode .* marshal data could not be decoded/);
    expect(ofKind(parsed.facts, "anomaly")[0]?.location?.path).toBe("model_config.config.layers[1].config.function[0]");
    expect(ofKind(parsed.facts, "code")).toEqual([]);
  });

  it("a truncated file and a corrupt superblock are inconclusive with the reason", async () => {
    const truncated = await parse("keras2_truncated.h5");
    expect(truncated.inconclusive).toEqual([expect.stringMatching(/ends at byte 16848, but only 8424 bytes exist/)]);
    expect(ofKind(truncated.facts, "anomaly")[0]?.code).toBe("truncated");
    const corrupt = await parse("keras2_corrupt_superblock.h5");
    expect(corrupt.inconclusive).toEqual([expect.stringMatching(/^HDF5 file could not be read: .+/)]);
    expect(ofKind(corrupt.facts, "graph-node")).toEqual([]);
  });
});

describe("the HDF5 reader after a failure", () => {
  it("reads the next file with a fresh instance, never with state left by the failed one", async () => {
    const original = fixture("keras2_sequential_dense.h5");
    for (const cut of [0.9, 0.7, 0.5]) {
      // Truncations that pass the superblock check (its end-of-file address is patched to fit).
      const damaged = original.slice(0, Math.floor(original.length * cut));
      new DataView(damaged.buffer).setUint32(40, damaged.length, true);
      const failed = await parse("keras2_sequential_dense.h5", damaged);
      expect(failed.inconclusive).toHaveLength(1);
      const again = await parse("keras2_sequential_dense.h5", original);
      expect(again.inconclusive).toEqual([]);
      expect(ofKind(again.facts, "graph-node")).toHaveLength(3);
    }
  });
});

describe("Keras 3 .keras fixtures", () => {
  it("a Dense model: config.json layers, metadata.json version, model.weights.h5 tensors", async () => {
    const parsed = await parseKeras("keras3_dense.keras");
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.formats).toEqual(expect.arrayContaining(["zip", "keras-v3", "keras-h5"]));
    expect(ofKind(parsed.facts, "graph-node").map((node) => node.op)).toEqual([
      "Sequential",
      "InputLayer",
      "Dense",
      "Dense",
    ]);
    expect(ofKind(parsed.facts, "import")).toEqual([]);
    expect(ofKind(parsed.facts, "text")).toContainEqual(
      expect.objectContaining({ key: "keras_version", text: "3.3.3", role: "metadata" }),
    );
    const tensors = ofKind(parsed.facts, "tensor");
    expect(tensors.find((tensor) => tensor.name === "layers/dense/vars/0")).toMatchObject({
      dtype: "f32",
      shape: [8, 4],
      data: { offset: expect.any(Number), length: 8 * 4 * 4 },
    });
  });

  it("a __lambda__ Lambda calling os.system becomes python-bytecode", async () => {
    const parsed = await parseKeras("keras3_lambda_os_system.keras");
    expect(parsed.inconclusive).toEqual([]);
    expect(codeNames(parsed.facts)).toEqual(expect.arrayContaining(["__import__", "system", "os"]));
    expect(ofKind(parsed.facts, "code")[0]?.location?.path).toBe("$.config.layers[2].config.function.config.value[0]");
  });

  it("a benign __lambda__ decodes without dangerous names", async () => {
    const parsed = await parseKeras("keras3_lambda_benign.keras");
    expect(parsed.inconclusive).toEqual([]);
    expect(ofKind(parsed.facts, "code")).toHaveLength(1);
    expect(codeNames(parsed.facts)).not.toContain("__import__");
  });

  it("an activation serialized as a function reference to os.system is an import", async () => {
    const parsed = await parseKeras("keras3_activation_os_system.keras");
    expect(ofKind(parsed.facts, "import").map((fact) => [fact.module, fact.name, fact.location?.path])).toEqual([
      ["os", "system", "$.config.layers[1].config.activation"],
    ]);
  });

  it("a custom registered layer imports its module once", async () => {
    const parsed = await parseKeras("keras3_custom_registered.keras");
    expect(ofKind(parsed.facts, "import").map((fact) => [fact.module, fact.name])).toEqual([
      ["mypkg.layers", "MyLayer"],
    ]);
    expect(ofKind(parsed.facts, "graph-node").find((node) => node.op === "MyLayer")?.attributes).toEqual({
      module: "mypkg.layers",
      registered_name: "mypkg>MyLayer",
    });
  });
});

describe("top-level files on disk are opened in place", () => {
  it("scans every H5 fixture through the engine and agrees with the in-memory path", async () => {
    const collected = new Map<string, Fact[]>();
    const recorder: Detector = {
      id: "recorder",
      description: "test-only: records facts",
      facts: ["code", "import", "tensor", "graph-node", "anomaly"],
      rules: [],
      create: () => ({
        onFact(fact, origin) {
          const list = collected.get(origin.file) ?? [];
          list.push(fact);
          collected.set(origin.file, list);
        },
      }),
    };
    const recorderPlugin = definePlugin({
      meta: { name: "recorder", version: "0.0.0", namespace: "recorder" },
      apiVersion: API_VERSION,
      detectors: [recorder],
    });
    const files = manifest().filter((entry) => entry.file.endsWith(".h5"));
    const report = await scanPaths(
      files.map((entry) => fixturePath(entry.file)),
      [plugin, recorderPlugin],
    );
    for (const entry of files) {
      const file = report.files.find((candidate) => candidate.path === fixturePath(entry.file));
      expect(file?.outcome, `${entry.file}: ${file?.reasons}`).toBe(
        entry.expect === "inconclusive" ? "inconclusive" : "clean",
      );
      const direct = collected.get(fixturePath(entry.file)) ?? [];
      const viaCopy = (await parse(entry.file)).facts.filter((fact) => fact.kind !== "text");
      expect(direct, `${entry.file}: ${file?.reasons}`).toEqual(viaCopy);
    }
  });
});

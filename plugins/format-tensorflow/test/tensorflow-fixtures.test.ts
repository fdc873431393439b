import { describe, expect, it } from "vitest";
import { fixture, graphNodes, manifest, parse, texts } from "./helpers.js";

const HANDLER_BY_PREFIX: [RegExp, string][] = [
  [/saved_model\.pb$/, "tensorflow-savedmodel"],
  [/keras_metadata\.pb$/, "tensorflow-keras-metadata"],
  [/^graphdef-.*\.pb$/, "tensorflow-graphdef"],
  [/\.meta$/, "tensorflow-metagraph"],
  [/\.index$/, "tensorflow-checkpoint"],
];

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    it(`${entry.file}: claimed by the right handler, ${entry.expect}`, async () => {
      const parsed = await parse(entry.file);
      const expected = HANDLER_BY_PREFIX.find(([pattern]) => pattern.test(entry.file))?.[1];
      expect(parsed.formats).toEqual(expected ? [expected] : []);
      if (entry.expect === "inconclusive") {
        expect(parsed.inconclusive.length).toBeGreaterThan(0);
        expect(parsed.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
      } else {
        expect(parsed.inconclusive).toEqual([]);
        expect(parsed.facts.filter((fact) => fact.kind === "anomaly")).toEqual([]);
      }
    });
  }
});

describe("SavedModel", () => {
  it("benign: every op of the graph and of the function library, with paths", async () => {
    const { facts } = await parse("savedmodel-benign/saved_model.pb");
    const nodes = graphNodes(facts);
    expect(nodes.every((node) => node.framework === "tensorflow")).toBe(true);
    expect(
      nodes.filter((node) => node.location?.path?.startsWith("meta_graph[0]/graph/")).map((node) => node.op),
    ).toEqual([
      "Placeholder",
      "VarHandleOp",
      "ReadVariableOp",
      "MatMul",
      "Relu",
      "StatefulPartitionedCall",
      "Placeholder",
      "Const",
      "StringJoin",
      "Const",
      "Const",
      "SaveV2",
      "MergeV2Checkpoints",
      "RestoreV2",
      "AssignVariableOp",
    ]);
    const library = nodes.filter((node) => node.location?.path?.includes("/library/"));
    expect(library.map((node) => `${node.location?.path} ${node.op}`)).toEqual([
      "meta_graph[0]/library/function/__inference_signature_wrapper_42/node[0] ReadVariableOp",
      "meta_graph[0]/library/function/__inference_signature_wrapper_42/node[1] MatMul",
      "meta_graph[0]/library/function/__inference_signature_wrapper_42/node[2] Relu",
      "meta_graph[0]/library/function/__inference_signature_wrapper_42/node[3] Identity",
    ]);
    const call = nodes.find((node) => node.op === "StatefulPartitionedCall");
    expect(call).toMatchObject({
      name: "StatefulPartitionedCall",
      attributes: { f: "__inference_signature_wrapper_42" },
    });
    expect(call?.location?.path).toBe("meta_graph[0]/graph/node[5]");
    expect(nodes.find((node) => node.name === "dense/MatMul")?.attributes).toEqual({ T: "DT_FLOAT" });
    expect(nodes.find((node) => node.op === "MergeV2Checkpoints")?.attributes).toEqual({ delete_old_dirs: true });
    expect(nodes.find((node) => node.op === "StringJoin")?.attributes).toEqual({ N: 2, separator: "" });
  });

  it("benign: string constants, signatures, meta info and assets", async () => {
    const { facts } = await parse("savedmodel-benign/saved_model.pb");
    expect(texts(facts, "string-constant").map((fact) => [fact.key, fact.text])).toEqual([
      ["StringJoin/inputs_1", "_temp/part"],
      ["SaveV2/tensor_names", "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE"],
    ]);
    expect(texts(facts, "string-constant")[0]?.location?.path).toBe(
      "meta_graph[0]/graph/node[7]/attr/value/tensor/string_val[0]",
    );
    expect(texts(facts, "metadata").map((fact) => `${fact.key}=${fact.text}`)).toEqual([
      "tensorflow_version=2.15.0",
      "tensorflow_git_version=unknown",
      "tags=serve",
    ]);
    const names = texts(facts, "name").map((fact) => `${fact.key}=${fact.text}`);
    expect(names).toContain("signature_def=serving_default");
    expect(names).toContain("method_name=tensorflow/serving/predict");
    expect(names).toContain("function=__inference_signature_wrapper_42");
    expect(names).toContain("asset_file_def=vocab.txt");
    expect(facts.filter((fact) => fact.kind === "reference")).toEqual([
      {
        kind: "reference",
        target: "vocab.txt",
        referenceKind: "path",
        key: "asset_path_initializer_0:0",
        location: { path: "meta_graph[0]/asset_file_def[0]" },
      },
    ]);
  });

  it("PyFunc in the main graph: the node and its token", async () => {
    const { facts } = await parse("savedmodel-pyfunc/saved_model.pb");
    const pyfunc = graphNodes(facts).find((node) => node.op === "PyFunc");
    expect(pyfunc).toEqual({
      kind: "graph-node",
      framework: "tensorflow",
      op: "PyFunc",
      name: "PyFunc",
      attributes: { token: "pyfunc_0" },
      location: { path: "meta_graph[0]/graph/node[2]" },
    });
    expect(texts(facts, "name").find((fact) => fact.key === "token")).toEqual({
      kind: "text",
      text: "pyfunc_0",
      key: "token",
      role: "name",
      location: { path: "meta_graph[0]/graph/node[2]/attr/token" },
    });
  });

  it("EagerPyFunc hidden in a library function is found with its function path", async () => {
    const { facts } = await parse("savedmodel-eagerpyfunc-in-function/saved_model.pb");
    const eager = graphNodes(facts).filter((node) => node.op === "EagerPyFunc");
    expect(eager).toHaveLength(1);
    expect(eager[0]?.location?.path).toBe("meta_graph[0]/library/function/__inference__wrapped_model_77/node[3]");
    expect(eager[0]?.attributes).toEqual({ is_async: false, token: "pyfunc_7" });
    expect(
      graphNodes(facts)
        .filter((node) => node.location?.path?.includes("/graph/"))
        .map((node) => node.op),
    ).not.toContain("EagerPyFunc");
  });

  it("a truncated SavedModel still reports the nodes before the cut, then is inconclusive", async () => {
    const parsed = await parse("savedmodel-truncated/saved_model.pb");
    expect(graphNodes(parsed.facts).length).toBeGreaterThan(3);
    expect(parsed.facts.filter((fact) => fact.kind === "anomaly").map((fact) => fact.code)).toEqual(["truncated"]);
    expect(parsed.inconclusive[0]).toMatch(
      /^TensorFlow SavedModel: field 2 at offset 2 declares \d+ bytes but only \d+ remain/,
    );
  });

  it("random bytes named saved_model.pb are inconclusive, not clean", async () => {
    const parsed = await parse("savedmodel-garbage/saved_model.pb");
    expect(graphNodes(parsed.facts)).toEqual([]);
    expect(parsed.inconclusive[0]).toMatch(/^TensorFlow SavedModel: /);
  });

  it("an empty saved_model.pb has no meta graph: inconclusive", async () => {
    const parsed = await parse("saved_model.pb", new Uint8Array(0));
    expect(parsed.inconclusive).toEqual([
      "TensorFlow SavedModel: no meta graph: not a SavedModel TensorFlow could load",
    ]);
  });
});

describe("GraphDef", () => {
  it("frozen benign graph: ops, attributes, no string constants", async () => {
    const { facts } = await parse("graphdef-frozen-benign.pb");
    expect(graphNodes(facts).map((node) => `${node.location?.path} ${node.op} ${node.name}`)).toEqual([
      "graph/node[0] Placeholder input",
      "graph/node[1] Const dense/kernel",
      "graph/node[2] MatMul dense/MatMul",
      "graph/node[3] Const dense/bias",
      "graph/node[4] BiasAdd dense/BiasAdd",
      "graph/node[5] Identity output",
    ]);
    expect(graphNodes(facts)[4]?.attributes).toEqual({ T: "DT_FLOAT", data_format: "NHWC" });
    expect(texts(facts, "string-constant")).toEqual([]);
  });

  it("file ops and the paths they are given", async () => {
    const { facts } = await parse("graphdef-file-ops.pb");
    expect(graphNodes(facts).map((node) => node.op)).toEqual(["Const", "ReadFile", "Const", "WriteFile"]);
    expect(texts(facts, "string-constant").map((fact) => fact.text)).toEqual([
      "/tmp/modelaudit-fixture-input.txt",
      "/tmp/modelaudit-fixture-output.txt",
    ]);
  });

  it("an inflated NodeDef length is a truncation anomaly", async () => {
    const parsed = await parse("graphdef-length-inflated.pb");
    expect(parsed.facts.find((fact) => fact.kind === "anomaly")).toMatchObject({ code: "truncated" });
    expect(parsed.inconclusive[0]).toContain("declares 2147483648 bytes");
  });

  it("attribute nesting past the recursion limit is refused, not followed", async () => {
    const started = performance.now();
    const parsed = await parse("graphdef-deep-attr-nesting.pb");
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(parsed.inconclusive[0]).toContain("max depth exceeded");
    expect(graphNodes(parsed.facts)).toEqual([]);
  });
});

describe("MetaGraphDef (.meta)", () => {
  it("benign TF1 graph: nodes without a meta_graph prefix, checkpoint string constants", async () => {
    const { facts } = await parse("metagraph-benign.meta");
    expect(graphNodes(facts).map((node) => node.op)).toEqual([
      "Placeholder",
      "VariableV2",
      "Const",
      "Assign",
      "Identity",
      "MatMul",
      "Const",
      "PlaceholderWithDefault",
      "Const",
      "Const",
      "SaveV2",
      "RestoreV2",
      "Assign",
    ]);
    expect(graphNodes(facts)[0]?.location?.path).toBe("graph/node[0]");
    expect(texts(facts, "string-constant").map((fact) => fact.text)).toEqual(["model", "w"]);
    expect(texts(facts, "metadata").map((fact) => fact.text)).toEqual(["v1.15.5", "1.15.5", "unknown"]);
  });

  it("a truncated .meta reports what precedes the cut", async () => {
    const parsed = await parse("metagraph-truncated.meta");
    expect(parsed.inconclusive).toHaveLength(1);
    expect(parsed.facts.some((fact) => fact.kind === "anomaly" && fact.code === "truncated")).toBe(true);
  });
});

describe("keras_metadata.pb", () => {
  it("JSON of each object as config text, Lambda layers as keras graph nodes", async () => {
    const { facts } = await parse("savedmodel-keras-lambda/keras_metadata.pb");
    const configs = texts(facts, "config");
    expect(configs.map((fact) => fact.key)).toEqual([
      "root",
      "root.layer-0",
      "root.layer_with_weights-0",
      "root.layer-2",
    ]);
    expect(JSON.parse(configs[3]?.text ?? "null")).toMatchObject({ class_name: "Lambda", name: "lambda" });
    expect(graphNodes(facts)).toEqual([
      {
        kind: "graph-node",
        framework: "keras",
        op: "Lambda",
        name: "lambda",
        attributes: { node_path: "root.layer-2", identifier: "_tf_keras_layer" },
        location: { path: "nodes[3]" },
      },
    ]);
  });

  it("the files of a SavedModel directory that need no parsing are not claimed", async () => {
    for (const file of [
      "savedmodel-benign/fingerprint.pb",
      "savedmodel-benign/variables/variables.data-00000-of-00001",
    ]) {
      expect((await parse(file, fixture(file))).formats).toEqual([]);
    }
  });
});

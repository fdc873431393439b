import { readFileSync } from "node:fs";
import { ProblemList } from "@modelaudit/core/format";
import { describe, expect, test } from "vitest";
import { checkExternalFiles } from "../src/external-data.js";
import { anomalies, FIXTURES, manifest, nodes, parseFixture, references, tensors, texts } from "./helpers.js";

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    test(`${entry.file} (${entry.expect})`, async () => {
      const result = await parseFixture(entry.file);
      const claimed = entry.file.endsWith(".onnx");
      expect(result.formats).toEqual(claimed ? ["onnx"] : []);
      if (!claimed) return;
      if (entry.expect === "inconclusive") {
        expect(result.inconclusive.length).toBeGreaterThan(0);
        expect(anomalies(result.facts).length).toBeGreaterThan(0);
      } else {
        expect(result.inconclusive).toEqual([]);
        expect(anomalies(result.facts)).toEqual([]);
      }
    });
  }
});

describe("benign exports", () => {
  test("torch CNN: every node, initializer byte ranges, producer and opset", async () => {
    const { facts } = await parseFixture("benign_cnn_torch_export.onnx");
    expect(nodes(facts).map((node) => [node.op, node.domain, node.location?.path])).toEqual([
      ["Conv", "", "graph/node[0]"],
      ["Relu", "", "graph/node[1]"],
      ["MaxPool", "", "graph/node[2]"],
      ["Flatten", "", "graph/node[3]"],
      ["Gemm", "", "graph/node[4]"],
    ]);
    expect(nodes(facts)[0]?.attributes).toEqual({
      dilations: "[1,1]",
      group: 1,
      kernel_shape: "[3,3]",
      pads: "[1,1,1,1]",
      strides: "[1,1]",
    });
    const found = tensors(facts);
    expect(
      found.map(({ name, dtype, formatDtype, shape, data }) => ({
        name,
        dtype,
        formatDtype,
        shape,
        length: data?.length,
      })),
    ).toEqual([
      { name: "conv.weight", dtype: "f32", formatDtype: "FLOAT", shape: [4, 1, 3, 3], length: 144 },
      { name: "conv.bias", dtype: "f32", formatDtype: "FLOAT", shape: [4], length: 16 },
      { name: "fc.weight", dtype: "f32", formatDtype: "FLOAT", shape: [10, 64], length: 2560 },
      { name: "fc.bias", dtype: "f32", formatDtype: "FLOAT", shape: [10], length: 40 },
    ]);
    // The byte ranges point at the float32 values torch wrote: compare against the file itself.
    const bytes = readFileSync(`${FIXTURES}benign_cnn_torch_export.onnx`);
    for (const tensor of found) {
      const { offset, length } = tensor.data!;
      expect(offset + length).toBeLessThanOrEqual(bytes.length);
      const values = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length),
      );
      expect(values.every((value) => Number.isFinite(value) && Math.abs(value) < 10)).toBe(true);
    }
    expect(texts(facts, "metadata").map((fact) => [fact.key, fact.text])).toEqual([
      ["producer_name", "pytorch"],
      ["producer_version", "1.13.0"],
      ["opset_import.ai.onnx", "13"],
    ]);
  });

  test("control flow: If/Loop bodies, string attributes, string constants, sparse initializer, metadata", async () => {
    const { facts } = await parseFixture("benign_control_flow_sparse.onnx");
    const paths = nodes(facts).map((node) => `${node.op}@${node.location?.path}`);
    expect(paths).toContain("Neg@graph/node[5]/else_branch/node[0]");
    expect(paths).toContain("Identity@graph/node[5]/then_branch/node[0]");
    expect(paths).toContain("Add@graph/node[7]/body/node[1]");
    expect(nodes(facts)).toHaveLength(14);
    expect(nodes(facts).find((node) => node.op === "If")?.attributes).toEqual({
      then_branch: "graph:then_body",
      else_branch: "graph:else_body",
    });
    expect(texts(facts, "string-constant").map((fact) => [fact.key, fact.text, fact.location?.path])).toEqual([
      ["labels", "cat\ndog", "graph/node[0]/value"],
      ["coordinate_transformation_mode", "asymmetric", "graph/node[9]"],
      ["mode", "nearest", "graph/node[9]"],
    ]);
    // A sparse initializer's values are a tensor of their own: shape [NNZ], two floats here.
    expect(tensors(facts).find((fact) => fact.name === "sparse_weight")).toMatchObject({
      dtype: "f32",
      formatDtype: "FLOAT",
      shape: [2],
      data: { length: 8 },
      location: { path: "graph/sparse_initializer[0]" },
    });
    expect(tensors(facts).find((fact) => fact.name === "labels")).toMatchObject({
      dtype: "opaque",
      formatDtype: "STRING",
      shape: [2],
    });
    expect(texts(facts, "metadata").filter((fact) => fact.key?.startsWith("metadata_props."))).toEqual([
      { kind: "text", text: "modelaudit", key: "metadata_props.author", role: "metadata" },
      { kind: "text", text: "MIT", key: "metadata_props.license", role: "metadata" },
    ]);
    expect(texts(facts, "documentation").map((fact) => fact.location?.path ?? "model")).toEqual(["model", "graph"]);
  });

  test("contrib operators keep their com.microsoft domain", async () => {
    const { facts } = await parseFixture("contrib_com_microsoft_ops.onnx");
    expect(nodes(facts).map((node) => [node.domain, node.op])).toEqual([
      ["com.microsoft", "FusedMatMul"],
      ["com.microsoft", "Gelu"],
    ]);
    expect(texts(facts, "metadata").find((fact) => fact.key === "opset_import.com.microsoft")?.text).toBe("1");
  });
});

describe("suspicious models", () => {
  test("custom domain node", async () => {
    const { facts } = await parseFixture("custom_domain_com_evil.onnx");
    expect(nodes(facts).find((node) => node.domain === "com.evil")).toMatchObject({
      op: "Exfiltrate",
      name: "evil_node",
      attributes: { target: "weights" },
      location: { path: "graph/node[1]" },
    });
  });

  test("PyOp attributes name the Python callable", async () => {
    const { facts } = await parseFixture("python_operator_pyop.onnx");
    expect(nodes(facts)).toEqual([
      {
        kind: "graph-node",
        framework: "onnx",
        op: "PyOp",
        domain: "ai.onnx.contrib",
        name: "python_call",
        attributes: { module: "os", class_name: "system", compute: "compute", input_types: "[1]", output_types: "[1]" },
        location: { path: "graph/node[0]" },
      },
    ]);
    expect(texts(facts, "string-constant").map((fact) => `${fact.key}=${fact.text}`)).toEqual([
      "class_name=system",
      "compute=compute",
      "module=os",
    ]);
  });

  test("a custom-domain node hidden in an If then_branch", async () => {
    const { facts } = await parseFixture("if_then_branch_custom_domain.onnx");
    expect(nodes(facts).find((node) => node.op === "Backdoor")).toMatchObject({
      domain: "com.evil",
      location: { path: "graph/node[0]/then_branch/node[0]" },
    });
  });

  test("a PythonOp inside a model-local function", async () => {
    const { facts } = await parseFixture("local_function_pythonop.onnx");
    expect(nodes(facts).map((node) => [node.op, node.domain, node.location?.path])).toEqual([
      ["Preprocess", "local.fn", "graph/node[0]"],
      ["PythonOp", "com.microsoft", "functions/local.fn:Preprocess/node[0]"],
    ]);
  });

  test.each([
    ["external_data_traversal.onnx", "../../etc/passwd"],
    ["external_data_absolute.onnx", "/etc/shadow"],
  ])("%s: external data path as a reference fact", async (file, target) => {
    const { facts } = await parseFixture(file);
    expect(references(facts)).toEqual([
      { kind: "reference", target, referenceKind: "path", key: "stolen", location: { path: "graph/initializer[0]" } },
    ]);
    expect(tensors(facts)[0]).not.toHaveProperty("data");
  });

  test("metadata_props with a database URL", async () => {
    const { facts } = await parseFixture("metadata_database_url.onnx");
    expect(texts(facts, "metadata").find((fact) => fact.key === "metadata_props.training_db")?.text).toBe(
      "postgresql://trainer:Vq7m2LpX9sRt4w@db.ml-platform.acme-corp.net:5432/features",
    );
  });
});

describe("external data files beside a model on disk", () => {
  const model = `${FIXTURES}external_data_benign/model.onnx`;

  test("the benign data file exists and is long enough", async () => {
    const { facts } = await parseFixture("external_data_benign/model.onnx");
    expect(references(facts).map((fact) => fact.target)).toEqual(["model.onnx.data"]);
    const problems = new ProblemList();
    await checkExternalFiles(
      { file: model, memberChain: [] },
      [{ tensor: "weight", location: "model.onnx.data", offset: 0, length: 8192, path: "graph/initializer[0]" }],
      problems,
    );
    expect(problems.items).toEqual([]);
  });

  test("missing and short files are noted; escaping paths are never opened", async () => {
    const problems = new ProblemList();
    await checkExternalFiles(
      { file: model, memberChain: [] },
      [
        { tensor: "a", location: "absent.bin", path: "p" },
        { tensor: "b", location: "model.onnx.data", offset: 8000, length: 4096, path: "q" },
        { tensor: "c", location: "../../../../../../etc/passwd", path: "r" },
        { tensor: "d", location: "/etc/passwd", path: "s" },
      ],
      problems,
    );
    expect(problems.items.map((problem) => [problem.code, problem.path, problem.rejects])).toEqual([
      ["unusual-structure", "p", false],
      ["truncated", "q", false],
    ]);
  });

  test("nothing is checked for a model inside an archive", async () => {
    const problems = new ProblemList();
    await checkExternalFiles(
      { file: model, memberChain: ["inner/model.onnx"] },
      [{ tensor: "a", location: "absent.bin", path: "p" }],
      problems,
    );
    expect(problems.items).toEqual([]);
  });
});

describe("malformed models are inconclusive with the reason, and keep what was readable", () => {
  test("truncated in half: the nodes before the cut are still reported", async () => {
    const result = await parseFixture("truncated_half.onnx");
    expect(result.inconclusive[0]).toMatch(/file ends before/);
    expect(anomalies(result.facts).every((fact) => fact.code === "truncated")).toBe(true);
    expect(nodes(result.facts).map((node) => node.op)).toEqual(["Conv", "Relu", "MaxPool", "Flatten", "Gemm"]);
  });

  test("graph length inflated to 2**40", async () => {
    const result = await parseFixture("length_inflated_graph.onnx");
    expect(result.inconclusive[0]).toContain("needs 1099511627802 bytes");
  });

  test("node length past its graph", async () => {
    const result = await parseFixture("length_inflated_node.onnx");
    expect(anomalies(result.facts).map((fact) => fact.code)).toEqual(["truncated"]);
  });

  test.each(["deep_if_nesting_40.onnx", "recursive_graph_10000.onnx"])(
    "%s hits the subgraph depth bound",
    async (file) => {
      const result = await parseFixture(file);
      expect(anomalies(result.facts).map((fact) => fact.code)).toEqual(["limit-exceeded"]);
      expect(result.inconclusive[0]).toContain("subgraphs nested deeper than 32 levels");
      const deepest = Math.max(
        ...nodes(result.facts).map((node) => (node.location?.path ?? "").split("/node[").length - 1),
      );
      expect(deepest).toBe(33);
    },
  );
});

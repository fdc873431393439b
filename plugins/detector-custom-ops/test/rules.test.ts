import type { Fact, GraphFramework, ReferenceLink } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanFacts, verdicts } from "./facts-handler.js";

const node = (framework: GraphFramework, domain: string, op: string, path: string, extra: Partial<Fact> = {}): Fact =>
  ({ kind: "graph-node", framework, domain, op, location: { path }, ...extra }) as Fact;
const reference = (target: string, key = "graph/initializer[0].external_data.location"): Fact => ({
  kind: "reference",
  target,
  referenceKind: "path",
  key,
  location: { path: key },
});
/** A path reference with the symbolic link a handler found on its way. */
const linked = (target: string, link: ReferenceLink, key?: string): Fact =>
  ({ ...reference(target, key), link }) as Fact;
const entry = (name: string, type: "file" | "directory" | "symlink" = "file"): Fact => ({
  kind: "entry",
  name,
  type,
  size: 10,
});

interface Case {
  name: string;
  facts: Fact[];
  /** `severity rule` of every finding, sorted; [] for ok cases. */
  expected: string[];
  options?: Record<string, unknown>;
}

const ok: Case[] = [
  {
    name: "standard ONNX domains",
    facts: ["", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training"].map((domain, index) =>
      node("onnx", domain, "Conv", `graph/node[${index}]`),
    ),
    expected: [],
  },
  {
    name: "a call into a model-local ONNX function, body emitted after the call",
    facts: [
      node("onnx", "pkg.onnxscript.torch_lib", "aten_gelu", "graph/node[0]"),
      node("onnx", "", "Erf", "functions/pkg.onnxscript.torch_lib:aten_gelu/node[0]"),
    ],
    expected: [],
  },
  {
    name: "allowDomains option",
    facts: [node("onnx", "com.acme", "Fancy", "graph/node[0]")],
    options: { allowDomains: ["com.acme"] },
    expected: [],
  },
  {
    name: "SavedModel checkpoint and table ops",
    facts: [
      "SaveV2",
      "RestoreV2",
      "MergeV2Checkpoints",
      "ShardedFilename",
      "Save",
      "Restore",
      "StringJoin",
      "InitializeTableFromTextFileV2",
      "StatefulPartitionedCall",
      "DecodeRaw",
    ].map((op, index) => node("tensorflow", "", op, `node[${index}]`)),
    expected: [],
  },
  {
    name: "TF DecodeProto with the built-in descriptor pool",
    facts: [
      node("tensorflow", "", "DecodeProtoV2", "node[0]", { attributes: { descriptor_source: "local://" } }),
      node("tensorflow", "", "EncodeProto", "node[1]"),
    ],
    expected: [],
  },
  {
    name: "ImmutableConst of a memmapped graph reads its own package",
    facts: [
      node("tensorflow", "", "ImmutableConst", "node[0]", {
        attributes: { memory_region_name: "memmapped_package://conv1/weights" },
      }),
    ],
    expected: [],
  },
  {
    name: "TorchScript everyday ATen operators",
    facts: ["add", "conv2d", "linear", "to", "sum", "softmax", "load_state_dict"].map((op) =>
      node("torchscript", "aten", op, "code/__torch__.py"),
    ),
    expected: [],
  },
  {
    name: "PrintV2 to stderr",
    facts: [node("tensorflow", "", "PrintV2", "node[0]", { attributes: { output_stream: "stderr" } })],
    expected: [],
  },
  {
    name: "TFLite builtins",
    facts: [
      node("tflite", "", "CONV_2D", "subgraph[0]/operator[0]"),
      node("tflite", "", "FULLY_CONNECTED", "subgraph[0]/operator[1]"),
    ],
    expected: [],
  },
  {
    name: "TorchScript core namespaces",
    facts: ["aten", "prim", "quantized", "_quantized", "torchvision", "torchaudio", "profiler", "cuda", "_caffe2"].map(
      (domain, index) => node("torchscript", domain, "op", `code/__torch__.py:${index}`),
    ),
    expected: [],
  },
  {
    name: "allowNamespaces option",
    facts: [node("torchscript", "my_ops", "warp", "code/m.py:3")],
    options: { allowNamespaces: ["my_ops"] },
    expected: [],
  },
  {
    name: "weights and configs in an archive",
    facts: [entry("model/data.pkl"), entry("model/libs/", "directory"), entry("notes.so.txt"), entry("model.onnx")],
    expected: [],
  },
  {
    name: "relative external data",
    facts: [
      reference("weights.bin"),
      reference("data/shard-00001.bin"),
      reference("./a..b/x.bin"),
      reference("file..name"),
    ],
    expected: [],
  },
  {
    name: "URL and repository references are other detectors' business",
    facts: [
      { kind: "reference", target: "https://x.example/a.so", referenceKind: "url" },
      { kind: "reference", target: "acme/repo--m.C", referenceKind: "repository" },
    ],
    expected: [],
  },
  {
    name: "a link that stays inside the model's folder",
    facts: [linked("weights.data", { path: "weights.data", target: "store/w.bin", outside: false })],
    expected: [],
  },
  {
    name: "the Hugging Face cache's snapshot → blob link",
    facts: [
      linked("model.onnx.data", {
        path: "model.onnx.data",
        target: "../../blobs/0a1b",
        outside: true,
        hfCacheBlob: true,
      }),
    ],
    expected: [],
  },
];

const ng: Case[] = [
  {
    name: "custom ONNX domain",
    facts: [node("onnx", "com.evil", "Backdoor", "graph/node[3]")],
    expected: ["warning custom-ops/non-standard-domain"],
  },
  {
    name: "onnxruntime-extensions domain",
    facts: [node("onnx", "ai.onnx.contrib", "StringRegexReplace", "graph/node[0]")],
    expected: ["warning custom-ops/non-standard-domain"],
  },
  {
    name: "com.microsoft standard contrib ops are a note",
    facts: ["FusedMatMul", "Gelu", "SkipLayerNormalization", "Attention", "MatMulNBits", "RotaryEmbedding"].map(
      (op, index) => node("onnx", "com.microsoft", op, `graph/node[${index}]`),
    ),
    expected: Array(6).fill("info custom-ops/non-standard-domain"),
  },
  {
    name: "com.microsoft op outside the contrib list",
    facts: [node("onnx", "com.microsoft", "ExfiltrateTensor", "graph/node[0]")],
    expected: ["warning custom-ops/non-standard-domain"],
  },
  {
    name: "custom domain inside a subgraph",
    facts: [node("onnx", "my.domain", "Foo", "graph/node[5]/then_branch/node[0]")],
    expected: ["warning custom-ops/non-standard-domain"],
  },
  {
    name: "ONNX PyOp in a custom domain",
    facts: [node("onnx", "ai.onnx.contrib", "PyOp", "graph/node[1]")],
    expected: ["critical custom-ops/python-operator"],
  },
  {
    name: "ONNX PythonOp in the default domain",
    facts: [node("onnx", "", "PythonOp", "graph/node[1]")],
    expected: ["critical custom-ops/python-operator"],
  },
  {
    name: "TorchScript prim::PythonOp",
    facts: [node("torchscript", "prim", "PythonOp", "code/__torch__/m.py:12")],
    expected: ["critical custom-ops/python-operator"],
  },
  {
    name: "TF PyFunc family",
    facts: ["PyFunc", "PyFuncStateless", "EagerPyFunc", "MyPyCallKernel"].map((op, index) =>
      node("tensorflow", "", op, `library/function/__inference_fn_12/node[${index}]`),
    ),
    expected: Array(4).fill("critical custom-ops/tensorflow-python-op"),
  },
  {
    name: "TF file ops",
    facts: ["ReadFile", "WriteFile", "MatchingFiles"].map((op, index) => node("tensorflow", "", op, `node[${index}]`)),
    expected: [
      "critical custom-ops/tensorflow-file-op",
      "warning custom-ops/tensorflow-file-op",
      "warning custom-ops/tensorflow-file-op",
    ],
  },
  {
    name: "TF input pipelines are a note, the ImmutableConst file map a warning",
    facts: ["TFRecordDatasetV2", "TextLineDataset", "FixedLengthRecordDatasetV2", "ImmutableConst", "LoadDataset"].map(
      (op, index) =>
        node("tensorflow", "", op, `node[${index}]`, { attributes: { memory_region_name: "/tmp/modelaudit-fixture" } }),
    ),
    expected: [...Array(4).fill("info custom-ops/tensorflow-file-op"), "warning custom-ops/tensorflow-file-op"],
  },
  {
    name: "TF dataset sinks write files",
    facts: ["SaveDatasetV2", "SnapshotDatasetV2", "DatasetToTFRecord"].map((op, index) =>
      node("tensorflow", "", op, `node[${index}]`),
    ),
    expected: Array(3).fill("critical custom-ops/tensorflow-file-op"),
  },
  {
    name: "TF RPC ops talk to the network; the tf.data service is an input pipeline",
    facts: ["RpcClient", "RpcCall", "RpcServerRegister", "Rpc", "DataServiceDatasetV4"].map((op, index) =>
      node("tensorflow", "", op, `library/function/f/node[${index}]`),
    ),
    expected: [...Array(4).fill("critical custom-ops/tensorflow-file-op"), "info custom-ops/tensorflow-file-op"],
  },
  {
    name: "TF cross-host transfers and collectives",
    facts: ["_Send", "_Recv", "CollectiveGatherV2"].map((op, index) => node("tensorflow", "", op, `node[${index}]`)),
    expected: Array(3).fill("info custom-ops/tensorflow-file-op"),
  },
  {
    name: "TF DecodeProto with a descriptor file",
    facts: [node("tensorflow", "", "DecodeProtoV2", "node[0]", { attributes: { descriptor_source: "/etc/passwd" } })],
    expected: ["warning custom-ops/tensorflow-file-op"],
  },
  {
    name: "TorchScript file and RPC operators",
    facts: [
      node("torchscript", "aten", "from_file", "code/__torch__.py"),
      node("torchscript", "aten", "save", "code/__torch__.py"),
      node("torchscript", "prim", "rpc_async", "code/__torch__.py"),
    ],
    expected: Array(3).fill("critical custom-ops/torchscript-file-op"),
  },
  {
    name: "TorchScript c10d collectives",
    facts: [node("torchscript", "c10d", "allreduce_", "code/__torch__.py")],
    expected: ["info custom-ops/torchscript-file-op"],
  },
  {
    name: "TF PrintV2 to a file",
    facts: [node("tensorflow", "", "PrintV2", "node[0]", { attributes: { output_stream: "file:///tmp/leak" } })],
    expected: ["critical custom-ops/tensorflow-file-op"],
  },
  {
    name: "TF debug ops",
    facts: [node("tensorflow", "", "DebugIdentity", "node[0]", { attributes: { debug_urls: "grpc://10.0.0.1:6064" } })],
    expected: ["warning custom-ops/tensorflow-file-op"],
  },
  {
    name: "a command-runner named op",
    facts: [node("tensorflow", "", "ShellExecute", "node[0]")],
    expected: ["critical custom-ops/tensorflow-file-op"],
  },
  {
    name: "TFLite unknown custom op",
    facts: [node("tflite", "custom", "MyKernel", "subgraph[0]/operator[7]")],
    expected: ["warning custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite well-known custom ops are a note",
    facts: [
      node("tflite", "custom", "TFLite_Detection_PostProcess", "subgraph[0]/operator[9]"),
      node("tflite", "custom", "MaxUnpooling2D", "subgraph[0]/operator[2]"),
    ],
    expected: ["info custom-ops/tflite-custom-op", "info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite Flex op is a note",
    facts: [node("tflite", "custom", "FlexRFFT", "subgraph[0]/operator[3]")],
    expected: ["info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite Flex op running a file op",
    facts: [node("tflite", "custom", "FlexReadFile", "subgraph[0]/operator[3]")],
    expected: ["info custom-ops/tflite-custom-op", "warning custom-ops/tensorflow-file-op"],
  },
  {
    name: "TFLite Flex op whose decoded options run another op: the custom_code reading and the decoded one",
    facts: [
      node("tflite", "custom", "FlexAddV2", "subgraph[0]/operator[1]", {
        attributes: { flexOp: "WriteFile", flexNodeDefOp: "WriteFile" },
      } as Partial<Fact>),
      node("tensorflow", "", "WriteFile", "subgraph[0]/operator[1]/custom_options"),
    ],
    expected: ["critical custom-ops/tensorflow-file-op", "info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite Flex op disguising PyFunc and ReadFile",
    facts: [
      node("tflite", "custom", "FlexIdentity", "subgraph[0]/operator[0]", {
        attributes: { flexOp: "PyFunc", flexNodeDefOp: "PyFunc" },
      } as Partial<Fact>),
      node("tensorflow", "", "PyFunc", "subgraph[0]/operator[0]/custom_options"),
      node("tflite", "custom", "FlexAddV2", "subgraph[0]/operator[1]", {
        attributes: { flexOp: "ReadFile", flexNodeDefOp: "ReadFile" },
      } as Partial<Fact>),
      node("tensorflow", "", "ReadFile", "subgraph[0]/operator[1]/custom_options"),
    ],
    expected: [
      "critical custom-ops/tensorflow-python-op",
      "info custom-ops/tflite-custom-op",
      "info custom-ops/tflite-custom-op",
      "warning custom-ops/tensorflow-file-op",
    ],
  },
  {
    name: "TFLite Flex op named WriteFile whose options run AddV2: the custom_code reading is still judged",
    facts: [
      node("tflite", "custom", "FlexWriteFile", "subgraph[0]/operator[1]", {
        attributes: { flexOp: "AddV2", flexNodeDefOp: "AddV2" },
      } as Partial<Fact>),
      node("tensorflow", "", "AddV2", "subgraph[0]/operator[1]/custom_options"),
    ],
    expected: ["critical custom-ops/tensorflow-file-op", "info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite honest Flex AddV2 with decoded options: only the note",
    facts: [
      node("tflite", "custom", "FlexAddV2", "subgraph[0]/operator[1]", {
        attributes: { flexOp: "AddV2", flexNodeDefOp: "AddV2", flexNodeName: "add_1" },
      } as Partial<Fact>),
      node("tensorflow", "", "AddV2", "subgraph[0]/operator[1]/custom_options", {
        attributes: { T: 1 },
      } as Partial<Fact>),
    ],
    expected: ["info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite honest Flex WriteFile with decoded options: judged once",
    facts: [
      node("tflite", "custom", "FlexWriteFile", "subgraph[0]/operator[1]", {
        attributes: { flexOp: "WriteFile", flexNodeDefOp: "WriteFile" },
      } as Partial<Fact>),
      node("tensorflow", "", "WriteFile", "subgraph[0]/operator[1]/custom_options"),
    ],
    expected: ["critical custom-ops/tensorflow-file-op", "info custom-ops/tflite-custom-op"],
  },
  {
    name: "TFLite custom op named PyFunc",
    facts: [node("tflite", "custom", "PyFunc", "subgraph[0]/operator[0]")],
    expected: ["critical custom-ops/python-operator"],
  },
  {
    name: "TorchScript custom namespace",
    facts: [node("torchscript", "my_ns", "backdoor", "code/__torch__/model.py:7")],
    expected: ["warning custom-ops/torchscript-custom-namespace"],
  },
  {
    name: "native libraries in an archive",
    facts: [
      "lib/libcustom_ops.so",
      "bin/evil.dll",
      "x/libfoo.so.1.2",
      "m.dylib",
      "ext.cp311-win_amd64.pyd",
      "LIB.SO",
    ].map((name) => entry(name)),
    expected: Array(6).fill("critical custom-ops/native-library"),
  },
  {
    name: "a symlinked native library",
    facts: [entry("libx.so", "symlink")],
    expected: ["critical custom-ops/native-library"],
  },
  {
    name: "load_library path",
    facts: [reference("/opt/libcustom.so", "torch.ops.load_library")],
    expected: ["critical custom-ops/external-data-traversal", "critical custom-ops/native-library"],
  },
  {
    name: "load_library key without an extension",
    facts: [reference("custom_ops", "code/__torch__.py:torch.ops.load_library")],
    expected: ["critical custom-ops/native-library"],
  },
  {
    name: "dot-dot traversal",
    facts: [reference("../../etc/passwd")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "traversal in the middle",
    facts: [reference("data/../../secret.bin")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "absolute path",
    facts: [reference("/etc/shadow")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "drive letter",
    facts: [reference("C:\\Windows\\system.ini")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "backslash traversal",
    facts: [reference("..\\..\\boot.ini")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "UNC path",
    facts: [reference("\\\\server\\share\\w.bin")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "URL scheme",
    facts: [reference("file:///etc/passwd")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "home directory",
    facts: [reference("~/.ssh/id_rsa")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "NUL byte",
    facts: [reference("weights.bin\u0000../../x")],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "a plain name a symbolic link beside the model takes outside",
    facts: [linked("weights.data", { path: "weights.data", target: "/etc/passwd", outside: true })],
    expected: ["critical custom-ops/external-data-traversal"],
  },
  {
    name: "a folder of the name linked outside",
    facts: [linked("data/x.bin", { path: "data", target: "/etc", outside: true })],
    expected: ["critical custom-ops/external-data-traversal"],
  },
];

describe("custom-ops rules", () => {
  it.each(ok.map((entry) => [entry.name, entry] as const))("ok: %s", async (_name, entry) => {
    const report = await scanFacts(entry.facts, entry.options);
    expect(verdicts(report)).toEqual(entry.expected);
    expect(report.files[0]!.outcome).toBe("clean");
  });

  it.each(ng.map((entry) => [entry.name, entry] as const))("ng: %s", async (_name, entry) => {
    const report = await scanFacts(entry.facts, entry.options);
    expect(verdicts(report)).toEqual([...entry.expected].sort());
    expect(report.files[0]!.outcome).toBe("findings");
  });
});

describe("what a finding says", () => {
  it("names the operator, the domain and where it sits", async () => {
    const report = await scanFacts([node("onnx", "com.evil", "Backdoor", "functions/x:y/node[2]", { name: "n2" })]);
    expect(report.findings[0]).toMatchObject({
      ruleId: "custom-ops/non-standard-domain",
      messageId: "customDomain",
      message: "ONNX operator Backdoor of domain com.evil at functions/x:y/node[2] needs a custom operator library",
      location: { path: "functions/x:y/node[2]" },
      evidence: "onnx com.evil::Backdoor (n2)",
    });
  });

  it("names the symbolic link that takes a plain name outside", async () => {
    const report = await scanFacts([
      linked("data/w.bin", { path: "data", target: "/etc", outside: true }, "graph/initializer[0]"),
    ]);
    expect(report.findings[0]).toMatchObject({
      ruleId: "custom-ops/external-data-traversal",
      severity: "critical",
      messageId: "escapesThroughLink",
      message:
        "graph/initializer[0] points outside the model's directory: data/w.bin goes through the symbolic link data → /etc",
      evidence: "data → /etc",
    });
  });

  it("names a shipped library and a traversal path", async () => {
    const report = await scanFacts([
      entry("model/libcustom_ops.so"),
      reference("../outside.bin", "graph/initializer[2]"),
    ]);
    expect(report.findings.map((finding) => finding.message).sort()).toEqual([
      "The model ships native library model/libcustom_ops.so",
      "graph/initializer[2] points outside the model's directory: ../outside.bin (it climbs out with .. segments)",
    ]);
  });

  it("names onnxruntime's in-memory tag, whose offset some runtimes read as a memory address", async () => {
    const report = await scanFacts([reference("*/_ORT_MEM_ADDR_/*", "graph/initializer[0]")]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.severity, finding.message])).toEqual([
      [
        "custom-ops/external-data-traversal",
        "critical",
        "graph/initializer[0] points outside the model's directory: */_ORT_MEM_ADDR_/* (it is onnxruntime's in-memory tag: runtimes that honour it read the tensor from the process memory address its offset names)",
      ],
    ]);
  });

  it("names the TensorFlow kernel a Flex op runs", async () => {
    const report = await scanFacts([node("tflite", "custom", "FlexAudioSpectrogram", "subgraph[0]/operator[1]")]);
    expect(report.findings.map((finding) => finding.message)).toEqual([
      "Flex operator FlexAudioSpectrogram at subgraph[0]/operator[1] runs the TensorFlow kernel AudioSpectrogram through the Flex delegate",
    ]);
  });

  it("reports a non-standard domain once per node, each at its own path", async () => {
    const report = await scanFacts([
      node("onnx", "com.evil", "A", "graph/node[0]"),
      node("onnx", "com.evil", "A", "graph/node[1]"),
    ]);
    expect(report.findings.map((finding) => finding.location?.path)).toEqual(["graph/node[0]", "graph/node[1]"]);
  });
});

describe("options", () => {
  it("allowTfliteOps turns a custom op into a note", async () => {
    const report = await scanFacts([node("tflite", "custom", "AcmeKernel", "subgraph[0]/operator[0]")], {
      allowTfliteOps: ["AcmeKernel"],
    });
    expect(verdicts(report)).toEqual(["info custom-ops/tflite-custom-op"]);
  });

  it("a malformed option makes the scan fail loudly, not pass silently", async () => {
    const report = await scanFacts([node("onnx", "com.evil", "A", "graph/node[0]")], {
      allowDomains: "com.evil",
    }).catch((error: Error) => error);
    expect(report).toBeInstanceOf(Error);
    expect((report as Error).message).toMatch(/custom-ops options.allowDomains must be an array of strings/);
  });
});

describe("files the loader opens while loading (joblib NDArrayWrapper side arrays)", () => {
  const side = (target: string, resolved?: { path: string; exists?: boolean }): Fact => ({
    kind: "reference",
    target,
    referenceKind: "path",
    key: "joblib NDArrayWrapper filename",
    location: { offset: 40 },
    ...(resolved && { resolved }),
  });

  it("a side file beside the model: nothing to report (the folder scan judges the file itself)", async () => {
    const report = await scanFacts([side("model.pkl_01.npy", { path: "/m/model.pkl_01.npy", exists: true })]);
    expect(verdicts(report)).toEqual([]);
    expect(report.files[0]!.outcome).toBe("clean");
  });

  it("a missing side file: inconclusive, not a finding (the load fails there)", async () => {
    const report = await scanFacts([side("model.pkl_01.npy", { path: "/m/model.pkl_01.npy", exists: false })]);
    expect(verdicts(report)).toEqual([]);
    expect(report.files[0]!.outcome).toBe("inconclusive");
    expect(report.files[0]!.reasons.join("\n")).toContain("/m/model.pkl_01.npy");
  });

  it("a side file outside the model's directory: external-data-traversal", async () => {
    for (const target of ["../other/x.npy", "/tmp/x.npy"]) {
      const report = await scanFacts([side(target, { path: "/elsewhere/x.npy" })]);
      expect(verdicts(report), target).toEqual(["critical custom-ops/external-data-traversal"]);
    }
  });

  it("a side file not looked for (an archive member's): judged by its path only", async () => {
    const report = await scanFacts([side("model.pkl_01.npy")]);
    expect(report.files[0]!.outcome).toBe("clean");
  });
});

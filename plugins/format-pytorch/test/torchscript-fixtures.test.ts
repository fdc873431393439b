import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { graphNodes, manifest, ofKind, references, scanCollecting, scanFixture } from "./helpers.js";

const node = (op: string, domain: string, kind: "operator" | "class", qualifiedName: string) =>
  expect.objectContaining({
    kind: "graph-node",
    framework: "torchscript",
    op,
    domain,
    name: qualifiedName,
    attributes: expect.objectContaining({ kind, qualifiedName }),
  });

/** Namespaced operators and TorchBind classes; `torch.<name>(` builtins (aten) are checked on their own. */
const namespaced = (collected: Parameters<typeof graphNodes>[0]) =>
  graphNodes(collected).filter((fact) => fact.attributes?.kind !== "builtin");

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    test(`${entry.file}: labelled torchscript, read to the end, one code fact per code/ member`, async () => {
      const collected = await scanFixture(entry.file);
      const [file] = collected.report.files;
      expect(file!.formats).toEqual(expect.arrayContaining(["zip", "pytorch-zip", "torchscript"]));
      expect(file!.reasons).toEqual([]);
      const codes = ofKind(collected, "code");
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) {
        expect(code.language).toBe("torchscript");
        expect(code.location?.path).toMatch(/^archive\/code\/.+\.py$/);
      }
    });
  }
});

test("scripted module: two code members, the extra file as text, no operator namespaces", async () => {
  const collected = await scanFixture("scripted_module.pt");
  expect(ofKind(collected, "code").map((code) => code.location?.path)).toEqual([
    "archive/code/__torch__.py",
    "archive/code/__torch__/torch/nn/modules/linear.py",
  ]);
  expect(ofKind(collected, "code")[0]!.text).toContain("def forward(self: __torch__.SmallScripted,");
  expect(ofKind(collected, "text")).toEqual([
    expect.objectContaining({
      key: "archive/extra/model_card.txt",
      text: "small scripted classifier; MIT",
      role: "metadata",
    }),
  ]);
  expect(namespaced(collected)).toEqual([]);
  expect(references(collected)).toEqual([]);
});

test("traced CNN and aten-only module: code only, nothing outside torch", async () => {
  const traced = await scanFixture("traced_cnn.pt");
  expect(ofKind(traced, "code")).toHaveLength(4);
  expect(namespaced(traced)).toEqual([]);
  const aten = await scanFixture("aten_ops_only.pt");
  expect(ofKind(aten, "code")[0]!.text).toContain("torch.relu(x)");
  expect(namespaced(aten)).toEqual([]);
  // Builtins are named by their ATen operator, and none of them opens a file.
  expect(graphNodes(aten).map((fact) => `${fact.domain}::${fact.op}`)).toContain("aten::relu");
  expect(references(aten)).toEqual([]);
});

test("custom namespace registered with torch.library: ops.my_ns.scale_op", async () => {
  const collected = await scanFixture("custom_namespace_op.pt");
  expect(namespaced(collected)).toEqual([node("scale_op", "my_ns", "operator", "ops.my_ns.scale_op")]);
  expect(namespaced(collected)[0]!.location).toEqual({ path: "archive/code/__torch__.py", line: 8, column: 12 });
});

test("load_library + custom op: the library path as a reference, the op as a graph node", async () => {
  const collected = await scanFixture("load_library_custom_op.pt");
  expect(namespaced(collected)).toEqual([node("evil_op", "my_ns", "operator", "torch.ops.my_ns.evil_op")]);
  expect(references(collected)).toEqual([
    {
      kind: "reference",
      target: "/tmp/libevil.so",
      referenceKind: "path",
      key: "torch.ops.load_library",
      location: { path: "archive/code/__torch__.py", line: 10, column: 5 },
    },
  ]);
  expect(ofKind(collected, "code")[0]!.text).toContain('torch.ops.load_library("/tmp/libevil.so")');
});

test("shipped native library: a TorchBind class and the library loaded through torch.classes", async () => {
  const collected = await scanFixture("shipped_native_library.pt");
  expect(namespaced(collected)).toEqual([node("Runner", "my_ns", "class", "torch.classes.my_ns.Runner")]);
  expect(references(collected).map((reference) => [reference.target, reference.key])).toEqual([
    ["libcustom_kernels.so", "torch.classes.load_library"],
  ]);
  // The .so member is binary: an entry, never a text fact.
  expect(ofKind(collected, "entry").map((entry) => entry.name)).toContain("archive/extra/libcustom_kernels.so");
  expect(ofKind(collected, "text").map((text) => text.key)).toEqual(["archive/extra/model_card.txt"]);
});

test("os.system through ops.prim.PythonOp: the prim node, the code text for the jit detector", async () => {
  const collected = await scanFixture("os_system_code.pt");
  expect(namespaced(collected)).toEqual([node("PythonOp", "prim", "operator", "ops.prim.PythonOp")]);
  expect(ofKind(collected, "code")[0]!.text).toContain('__import__("os").system("id")');
});

test("torch.save checkpoints of the pickle family get no TorchScript label or facts", async () => {
  const pickles = new URL("../../../tooling/fixtures/pickle/", import.meta.url).pathname;
  const files = ["torch_zip_state_dict.pt", "torch_zip_whole_model.pt", "torch_zip_malicious_extra_member.pt"];
  for (const file of files) {
    const collected = await scanCollecting(file, readFileSync(`${pickles}${file}`));
    expect(collected.report.files[0]!.formats, file).toContain("pytorch-zip");
    expect(collected.report.files[0]!.formats, file).not.toContain("torchscript");
    expect(ofKind(collected, "code"), file).toEqual([]);
  }
});

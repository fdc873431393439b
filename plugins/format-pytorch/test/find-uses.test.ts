import { expect, test } from "vitest";
import { findUses } from "../src/torchscript-uses.js";

test("operator namespaces in both printed forms, overloads, and TorchBind classes", () => {
  const text = [
    "def forward(self: __torch__.M, x: Tensor) -> Tensor:",
    "  a = torch.ops.aten.relu.default(x)",
    "  b = ops.my_ns.evil_op(a, 'torch.ops.fake.in_string')",
    "  c : __torch__.torch.classes.my_ns.Runner = self.runner",
    "  d = torch.classes.other.Thing()",
    "  # torch.ops.commented.out(x)",
    "  e = self.ops.not_a.namespace(x)",
    "  return b",
  ].join("\n");
  const { operators, loads } = findUses(text);
  expect(operators.map((use) => [use.kind, use.namespace, use.name, use.qualifiedName, use.line])).toEqual([
    ["operator", "aten", "relu", "torch.ops.aten.relu.default", 2],
    ["operator", "my_ns", "evil_op", "ops.my_ns.evil_op", 3],
    ["class", "my_ns", "Runner", "__torch__.torch.classes.my_ns.Runner", 4],
    ["class", "other", "Thing", "torch.classes.other.Thing", 5],
  ]);
  expect(loads).toEqual([]);
});

test("library loads: literal paths decoded, non-literal arguments kept as null", () => {
  const text = [
    'torch.ops.load_library("/opt/lib\\x2fevil.so")',
    "torch.classes.load_library(r'C:\\libs\\k.dll')",
    'handle = ctypes.CDLL("libc.so.6")',
    "ctypes.cdll.LoadLibrary(path)",
    "x = torch.ops.load_library",
  ].join("\n");
  const { loads, operators } = findUses(text);
  expect(loads.map((load) => [load.callee, load.path, load.line, load.column])).toEqual([
    ["torch.ops.load_library", "/opt/lib/evil.so", 1, 1],
    ["torch.classes.load_library", "C:\\libs\\k.dll", 2, 1],
    ["ctypes.CDLL", "libc.so.6", 3, 10],
    ["ctypes.cdll.LoadLibrary", null, 4, 1],
  ]);
  expect(operators).toEqual([]);
});

test("multi-line strings keep line numbers right and hide what they contain", () => {
  const text = 'doc = """\ntorch.ops.hidden.op(x)\n"""\ny = ops.real.op(x)\n';
  expect(findUses(text).operators.map((use) => [use.namespace, use.line, use.column])).toEqual([["real", 4, 5]]);
});

test("hostile text: unterminated strings, huge chains, random bytes end quickly", () => {
  const started = Date.now();
  expect(findUses('torch.ops.load_library("never closed').loads[0]!.path).toBe("never closed");
  expect(findUses(`${"a.".repeat(200_000)}b`).operators).toEqual([]);
  let state = 7;
  let noise = "";
  for (let index = 0; index < 200_000; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    noise += "tors.op()'\"\n#\\ _x1"[state % 20];
  }
  findUses(noise);
  expect(Date.now() - started).toBeLessThan(30_000);
});

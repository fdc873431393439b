import { expect, test } from "vitest";
import { findBuiltinCalls } from "../src/torchscript-builtins.js";

test("torch.<name>( calls with their literal arguments, as torch.jit.save prints them", () => {
  const text = [
    "def forward(self: __torch__.M, x: Tensor) -> Tensor:",
    '    t = torch.from_file("/tmp/modelaudit-fixture", True, 16, dtype=0)',
    '    torch.save(torch.add(x, 1), "/tmp/out.pt")',
    "    y = self.torch.save(x, 'not-a-builtin')",
    "    z = torch.nn.functional.relu(x)",
    '    w = torch.from_file(filename="/etc/hostname", size=torch.numel(x))',
    "    return torch.sum(t)",
  ].join("\n");
  const { calls: found, pathLiterals } = findBuiltinCalls(text);
  expect(pathLiterals).toEqual(["/tmp/modelaudit-fixture", "/tmp/out.pt", "/etc/hostname"]);
  const calls = found.map((call) => [call.name, call.literals, call.line]);
  expect(calls).toEqual([
    ["from_file", { 0: "/tmp/modelaudit-fixture" }, 2],
    ["save", { 1: "/tmp/out.pt" }, 3],
    ["add", {}, 3],
    ["from_file", { filename: "/etc/hostname" }, 6],
    ["numel", {}, 6],
    ["sum", {}, 7],
  ]);
});

test("unbalanced and endless input stays bounded", () => {
  const text = `torch.save(x, ${"(".repeat(10_000)}`;
  expect(findBuiltinCalls(text).calls.map((call) => call.name)).toEqual(["save"]);
  expect(findBuiltinCalls(")))torch.x(").calls).toHaveLength(1);
});

test("the loader's other spellings of builtins: torch.autograd, ops.<ns>.autograd, local aliases", () => {
  const text = [
    "def __setstate__(self: __torch__.S, st: Tuple[Tensor, bool]) -> NoneType:",
    '    torch.autograd.save(self.w, "/tmp/a")',
    '    torch.autograd.autograd.from_file("/etc/hostname", None, 2)',
    '    ops.prim.autograd.save(self.w, "/tmp/b")',
    '    ops.aten.save(self.w, "/tmp/c")',
    "    f = torch.save",
    '    f(self.w, "/tmp/d")',
    "    g = (torch.autograd)",
    "    h = g",
    '    h.save(self.w, "/tmp/e")',
    "    if True: k = torch.save",
    "    else: k = torch.add",
    '    y = (k)(self.w, "/tmp/f")',
    "    return None",
    "def forward(self: __torch__.S, f: Tensor) -> Tensor:",
    "    return f(x)",
  ].join("\n");
  const calls = findBuiltinCalls(text).calls.map((call) => [
    `${call.namespace}::${call.name}`,
    call.written,
    call.direct,
    call.literals,
    call.line,
  ]);
  expect(calls).toEqual([
    ["aten::save", "torch.autograd.save", false, { 1: "/tmp/a" }, 2],
    ["aten::from_file", "torch.autograd.autograd.from_file", false, { 0: "/etc/hostname" }, 3],
    ["aten::save", "ops.prim.autograd.save", false, { 1: "/tmp/b" }, 4],
    ["aten::save", "ops.aten.save", true, { 1: "/tmp/c" }, 5],
    ["aten::save", "f", false, { 1: "/tmp/d" }, 7],
    ["aten::save", "h.save", false, { 1: "/tmp/e" }, 10],
    ["aten::save", "k", false, { 1: "/tmp/f" }, 13],
    ["aten::add", "k", false, { 1: "/tmp/f" }, 13],
  ]);
});

test("names the loader rejects or that are locals resolve to nothing", () => {
  const text = [
    "def forward(self: __torch__.M, x: Tensor, save: Tensor) -> Tensor:",
    "    a = torch.nn.functional.relu(x)",
    "    b = self.torch.save(x, 'no')",
    "    c = torch.save.default(x, 'no')",
    "    f = torch.add(x, x)",
    "    d = f(x)",
    "    e = x.save(x)",
    "    y = x == torch.save",
    "    return save(x)",
  ].join("\n");
  expect(findBuiltinCalls(text).calls.map((call) => `${call.namespace}::${call.name}`)).toEqual(["aten::add"]);
});

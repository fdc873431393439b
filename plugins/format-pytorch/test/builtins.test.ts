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
    // Aliases are read across the member: a nested def sees its outer function's locals, and which
    // function a line is in is indentation the tokens do not keep.
    ["aten::save", "f", false, {}, 16],
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

test("getattr with a literal is the lookup itself; adjacent and octal-escaped literals are one name", () => {
  const text = [
    "def forward(self: __torch__.S, x: Tensor) -> Tensor:",
    '    getattr(torch, "sa" "ve")(x, "/tmp/a")',
    '    getattr(torch, "\\163ave")(x, "/tmp/b")',
    '    y = getattr(getattr(ops, "aten"), "from_file")("/etc/hostname", False, 4)',
    '    z = getattr((torch.autograd), "save")(x, filename="/tmp/c")',
    '    w = torch.add(x, getattr(self, "w"))',
    "    return torch.neg(x)",
  ].join("\n");
  const calls = findBuiltinCalls(text).calls.map((call) => [
    `${call.namespace}::${call.name}`,
    call.written,
    call.literals,
    call.line,
  ]);
  expect(calls).toEqual([
    ["aten::save", "torch.save", { 1: "/tmp/a" }, 2],
    ["aten::save", "torch.save", { 1: "/tmp/b" }, 3],
    ["aten::from_file", "ops.aten.from_file", { 0: "/etc/hostname" }, 4],
    ["aten::save", "torch.autograd.save", { filename: "/tmp/c" }, 5],
    ["aten::add", "torch.add", {}, 6],
    ["aten::neg", "torch.neg", {}, 7],
  ]);
});

test("a builtin passed on uncalled (fork's function) is a use; an alias's own assignment is not", () => {
  const text = [
    "def forward(self: __torch__.S, x: Tensor) -> Tensor:",
    '    fut = fork(torch.save, x, "/tmp/a")',
    '    fut2 = fork((torch.from_file), "/tmp/b", False, 4)',
    "    f = torch.save",
    "    g = (torch.from_file)",
    '    fut3 = fork(f, x, "/tmp/c")',
    "    return torch.wait(fut2)",
  ].join("\n");
  const calls = findBuiltinCalls(text).calls.map((call) => [
    `${call.namespace}::${call.name}`,
    call.written,
    call.line,
  ]);
  expect(calls).toEqual([
    ["aten::save", "torch.save", 2],
    ["aten::from_file", "torch.from_file", 3],
    ["aten::save", "f", 6],
    ["aten::wait", "torch.wait", 7],
  ]);
});

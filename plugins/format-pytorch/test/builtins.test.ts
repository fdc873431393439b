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

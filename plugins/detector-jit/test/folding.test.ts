import { describe, expect, it } from "vitest";
import { analyzePython } from "../src/index.js";

/** The resolved call names of every dangerous-call / native-library-load issue, in order. */
function calls(code: string, language: "python" | "torchscript" = "python"): string[] {
  return analyzePython(code, language)
    .filter((issue) => issue.rule !== "dangerous-import")
    .map((issue) => String(issue.data.call));
}

describe("alias resolution and string folding", () => {
  it.each([
    ["import os as o\no.system('x')", "os.system"],
    ["from os import system as s\ns('x')", "os.system"],
    ["import os.path\nos.system('x')", "os.system"],
    ["from subprocess import *\nPopen(['x'])", "subprocess.Popen"],
    ["m = __import__('o' + 's')\nm.system('x')", "os.system"],
    ["import importlib\nm = importlib.import_module('sub' 'process')\nm.run(['x'])", "subprocess.run"],
    ["getattr(__import__('o'+'s'), 'sys'+'tem')('x')", "os.system"],
    ["getattr(__import__(''.join(['o', 's'])), 'metsys'[::-1])('x')", "os.system"],
    ["getattr(__import__(chr(111) + chr(115)), 'system')('x')", "os.system"],
    ["getattr(__import__('%s%s' % ('o', 's')), '{}{}'.format('sys', 'tem'))('x')", "os.system"],
    ["import base64\ngetattr(__import__(base64.b64decode('b3M=').decode()), 'system')('x')", "os.system"],
    ["n = 'o'\nn += 's'\n__import__(n).system('x')", "os.system"],
    ["import sys\nsys.modules['os'].system('x')", "os.system"],
    ["__builtins__['ev' + 'al']('1')", "builtins.eval"],
    ["import builtins\nbuiltins.__dict__['exec']('1')", "builtins.exec"],
    ["globals()['__builtins__'].eval('1')", "builtins.eval"],
    ["import posix\nposix.system('x')", "os.system"],
    [
      "class A:\n    def __init__(self):\n        import os\n        self.run = os.system\n    def go(self):\n        self.run('x')",
      "os.system",
    ],
    ["def later():\n    P(['x'])\nfrom subprocess import Popen as P", "subprocess.Popen"],
  ])("%s → %s", (code, expected) => {
    expect(calls(code)).toContain(expected);
  });

  it("marks names reached through computed strings as obfuscated", () => {
    const [issue] = analyzePython("getattr(__import__('o'+'s'), 'sys'+'tem')('x')", "python").filter(
      (item) => item.data.call === "os.system",
    );
    expect(String(issue?.data.via)).toMatch(/computed names/);
  });

  it("reports line and column from the syntax tree offsets", () => {
    const [issue] = analyzePython("import os\n\nx = 1\n    \nif x:\n    os.system('x')\n", "python");
    expect(issue?.position).toEqual({ line: 6, column: 5 });
    expect(issue?.data.position).toBe("line 6, column 5");
  });

  it("does not resolve rebound names to modules", () => {
    expect(calls("import os\nos = FakeOs()\nos.system('x')")).toEqual([]);
    expect(calls("def f(subprocess):\n    subprocess.run(['x'])")).toEqual([]);
  });

  it("keeps working through syntax errors (error-tolerant parse)", () => {
    expect(calls("def broken(:\n    pass\nimport os\nos.system('x')\nclass (")).toContain("os.system");
    expect(
      calls(
        "class M(Module):\n  def forward(self: __torch__.M, x: Tensor) -> Tensor:\n    torch.ops.load_library('a.so')\n    return x",
        "torchscript",
      ),
    ).toEqual(["torch.ops.load_library"]);
  });
});

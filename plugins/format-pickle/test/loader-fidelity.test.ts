import type { ReferenceFact, SniffInput } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { pickleHandler } from "../src/index.js";
import { parsePythonLiteral } from "../src/python-literal.js";
import { bytes, calls, imports, names, parse, shortUnicode, tensors, u32, u64 } from "./helpers.js";

// Each case here is a stream CPython's unpickler runs (checked with a recording find_class): the
// scanner must read it the way the loader does, whatever the first bytes look like.

const PAYLOAD = bytes("cos\nsystem\n(S'echo modelaudit-fixture'\ntR.");
const PAYLOAD_P4 = bytes(
  0x80,
  4,
  shortUnicode("posix"),
  shortUnicode("system"),
  0x93,
  shortUnicode("echo x"),
  0x85,
  "R.",
);

function sniffs(data: Uint8Array, size = data.length): boolean {
  const input: SniffInput = { head: data, tail: data, size, name: "x.bin", extension: ".bin", parentFormats: [] };
  return pickleHandler.sniff(input) === true;
}

describe("sniffing accepts what the unpickler accepts", () => {
  const variants: [string, Uint8Array][] = [
    ["PROTO 0", bytes(0x80, 0, PAYLOAD)],
    ["PROTO 1", bytes(0x80, 1, PAYLOAD)],
    ["PROTO 1 before a protocol 4 body", bytes(0x80, 1, PAYLOAD_P4.subarray(2))],
    ["NONE POP first", bytes("N0", PAYLOAD_P4)],
    ["BINFLOAT POP first", bytes("G", [0x3f, 0xf0, 0, 0, 0, 0, 0, 0], "0", PAYLOAD_P4)],
    ["NEWTRUE POP first", bytes(0x88, "0", PAYLOAD_P4)],
    ["BININT POP first", bytes("J", u32(5), "0", PAYLOAD_P4)],
    ["FRAME first", bytes(0x95, u64(PAYLOAD_P4.length), PAYLOAD_P4)],
    ["MARK POP_MARK first", bytes("(1", PAYLOAD_P4)],
    ["list item assignment first", bytes("]K", 1, "aK", 0, "Ns0", PAYLOAD_P4)],
    ["a tiny stream first", bytes("N.", PAYLOAD_P4)],
    ["several tiny streams first", bytes("N.}.I1\n.", PAYLOAD)],
    ["DUP POP POP first", bytes("N200", PAYLOAD)],
  ];
  it.each(variants)("%s", async (_name, data) => {
    expect(sniffs(data)).toBe(true);
    const result = await parse(data);
    expect(names(imports(result))).toContain(data.includes(0x93) ? "posix.system" : "os.system");
  });

  it("still refuses what every loader refuses", () => {
    expect(sniffs(bytes(0x80, 7, PAYLOAD))).toBe(false); // unsupported protocol: ValueError first
    expect(sniffs(bytes("Pabc\n0", PAYLOAD))).toBe(false); // text PERSID: no loader accepts it first
    expect(sniffs(bytes(0x00, PAYLOAD))).toBe(false); // not an opcode
    expect(sniffs(bytes("hello world\n"))).toBe(false);
  });

  it("marks a second stream that is cut short as inconclusive", async () => {
    const result = await parse(bytes("N.", 0x80, 2, "cos\nsys"));
    expect(result.inconclusive.join(" ")).toMatch(/cut short|could not be read/);
  });
});

describe("names as find_class sees them", () => {
  it("maps Python 2 names while the protocol is below 3", async () => {
    const mapped = await parse(bytes("c__builtin__\neval\n(S'1'\ntR."));
    expect(names(imports(mapped))).toEqual(["builtins.eval"]);
    const commands = await parse(bytes(0x80, 2, "ccommands\ngetoutput\n(S'id'\ntR."));
    expect(names(imports(commands))).toEqual(["subprocess.getoutput"]);
  });

  it("does not map them at protocol 3 and above (the loader imports the name as written)", async () => {
    const result = await parse(bytes(0x80, 3, "c__builtin__\neval\n(S'1'\ntR."));
    expect(names(imports(result))).toEqual(["__builtin__.eval"]);
  });
});

describe("pickles that tamper with what they import", () => {
  it("reports BUILD on an imported module or class as the setattr it performs", async () => {
    const result = await parse(
      bytes(0x80, 4, shortUnicode("torch.nn"), shortUnicode("functional"), 0x93, "}", shortUnicode("relu"), "Nsb."),
    );
    const tamper = calls(result).find((fact) => fact.via.startsWith("BUILD on"));
    expect(tamper?.callee).toEqual({ module: "builtins", name: "setattr" });
    expect(tamper?.via).toBe("BUILD on torch.nn.functional");
  });

  it("reports SETITEM on an imported dict as the setitem it performs", async () => {
    const result = await parse(
      bytes(
        0x80,
        4,
        shortUnicode("torch.nn.modules.module"),
        shortUnicode("_global_forward_hooks"),
        0x93,
        "K",
        1,
        "Ns.",
      ),
    );
    expect(calls(result).map((fact) => `${fact.callee.module}.${fact.callee.name}`)).toContain("operator.setitem");
  });
});

describe("joblib array wrappers read as joblib and NumPy read them", () => {
  /** A wrapper for `count` elements of `type`, its dtype state carrying `elsize` and `flags`. */
  function wrapper(type: string, count: number, elsize: number, flags: number, extraState: Uint8Array = bytes()) {
    const dtypeState = bytes("(K", 3, shortUnicode("|"), "NNNJ", u32(elsize), "J", u32(0xffffffff), "K", flags, "t");
    return wrapperWithState(type, count, dtypeState, extraState);
  }

  /** A wrapper for `count` elements of `type`, its dtype BUILD with `dtypeState` (opcodes leaving one tuple). */
  function wrapperWithState(type: string, count: number, dtypeState: Uint8Array, extraState: Uint8Array = bytes()) {
    return bytes(
      0x80,
      4,
      shortUnicode("joblib.numpy_pickle"),
      shortUnicode("NumpyArrayWrapper"),
      0x93,
      ")",
      0x81, // NEWOBJ: no __init__
      "}(",
      shortUnicode("shape"),
      "K",
      count,
      0x85,
      shortUnicode("dtype"),
      shortUnicode("numpy"),
      shortUnicode("dtype"),
      0x93,
      shortUnicode(type),
      0x89,
      0x88,
      0x87,
      "R",
      dtypeState,
      "b",
      extraState,
      "ub",
    );
  }
  const hidden = bytes(shortUnicode("posix"), shortUnicode("system"), 0x93, shortUnicode("echo x"), 0x85, "R0");

  it("takes a fixed-size type's item size from its type string, not from the state's elsize", async () => {
    // joblib reads 2 × 8 bytes; a reader trusting elsize=1 would skip 2 bytes and miss the payload.
    const data = bytes(wrapper("f8", 2, 1, 0), new Uint8Array(16), hidden, "N.");
    const result = await parse(data);
    expect(names(imports(result))).toContain("posix.system");
    expect(result.inconclusive).toEqual([]);
  });

  it("takes a void type's object flag from the state (NumPy's __setstate__ does)", async () => {
    // V8 with flags=1: joblib sees hasobject and reads a nested pickle, not 8 raw bytes.
    const data = bytes(wrapper("V8", 1, 8, 1), hidden.subarray(0, -1), ".", "N.");
    const result = await parse(data);
    expect(names(imports(result))).toContain("posix.system");
  });

  it("reads a wrapper whose BUILD sits in a FRAME running to the end of the data as cut short", async () => {
    // joblib would read the padding byte from after the frame: there is nothing there.
    const alignment = bytes(shortUnicode("numpy_array_alignment_bytes"), "K", 16);
    const body = bytes(wrapper("f8", 2, 8, 0, alignment).subarray(2), "N");
    const result = await parse(bytes(0x80, 4, 0x95, u64(body.length), body));
    expect(result.inconclusive.join(" ")).toMatch(/truncated/);
    expect(tensors(result)).toEqual([]);
  });

  it("takes a fixed-size type's object flag from the state too (NumPy's __setstate__ sets it for every kind)", async () => {
    // np.dtype("f8").__setstate__((3, "<", None, None, None, -1, -1, 1)).hasobject is True: joblib
    // pickle.loads what follows the BUILD, four "array" bytes or not.
    const data = bytes(wrapper("i4", 1, 4, 63), hidden.subarray(0, -1), ".", "N.");
    const result = await parse(data);
    expect(names(imports(result))).toContain("posix.system");
  });

  it("takes the object flag of a version-2 dtype state from its fields, as NumPy recomputes it", async () => {
    // (2, "|", None, ("a",), {"a": (dtype("O8"), 0)}, 8, 1, 0): flags 0, but a field holds objects.
    const objectDtype = bytes(
      shortUnicode("numpy"),
      shortUnicode("dtype"),
      0x93,
      shortUnicode("O8"),
      0x89,
      0x88,
      0x87,
      "R",
    );
    const state = bytes(
      "(K",
      2,
      shortUnicode("|"),
      "N",
      shortUnicode("a"),
      0x85,
      "}",
      shortUnicode("a"),
      objectDtype,
      "K",
      0,
      0x86,
      "sK",
      8,
      "K",
      1,
      "K",
      0,
      "t",
    );
    const data = bytes(wrapperWithState("V8", 1, state), hidden.subarray(0, -1), ".", "N.");
    const result = await parse(data);
    expect(names(imports(result))).toContain("posix.system");
  });

  it("lets the last duplicate key of the wrapper state win, as a Python dict does", async () => {
    const data = bytes(
      wrapper("i1", 1, 1, 0, bytes(shortUnicode("shape"), "K", 3, 0x85)),
      new Uint8Array(3),
      hidden,
      "N.",
    );
    const result = await parse(data);
    expect(names(imports(result))).toContain("posix.system");
    expect(result.inconclusive).toEqual([]);
  });

  it("reports the side file an old NDArrayWrapper makes joblib load", async () => {
    const data = bytes(
      0x80,
      2,
      "cjoblib.numpy_pickle_compat\nNDArrayWrapper\n)",
      0x81,
      "}",
      shortUnicode("filename"),
      shortUnicode("../../elsewhere/evil.npy"),
      "sb.",
    );
    const result = await parse(data);
    const references = result.facts.filter((fact): fact is ReferenceFact => fact.kind === "reference");
    expect(references.map((fact) => fact.target)).toEqual(["../../elsewhere/evil.npy"]);
  });
});

describe(".npy headers read as ast.literal_eval reads them", () => {
  it("skips comments, decodes escapes and joins adjacent string literals", () => {
    expect(
      parsePythonLiteral("{'descr': '\\x7cO', # 'descr': '<f8'\n 'shape': (0x2, 1_0,), 'fortran_order': False}"),
    ).toEqual({ descr: "|O", shape: [2, 10], fortran_order: false });
    expect(parsePythonLiteral("{'a': '<' 'f8', 'b': r'\\x', 'c': '''t''', 'd': u'\\u0041'}")).toEqual({
      a: "<f8",
      b: "\\x",
      c: "t",
      d: "A",
    });
  });
});

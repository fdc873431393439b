import { describe, expect, it } from "vitest";
import { binUnicode, bytes, calls, imports, names, parse, u32, u64 } from "./helpers.js";

const INNER = bytes(0x80, 4, "cos\nsystem\n", 0x8c, 2, "id", 0x85, "R.");
const INNER_P0 = bytes("cos\nsystem\n(S'id'\ntR.");

/** As pickle.dumps(protocol=2) writes bytes to `loader(b)`: `_codecs.encode(str, "latin1")`, the bytes as code points. */
function protocol2Call(loader: string): Uint8Array {
  const latin1 = Array.from(INNER, (byte) => String.fromCharCode(byte)).join("");
  return bytes(0x80, 2, loader, "c_codecs\nencode\n", binUnicode(latin1), binUnicode("latin1"), 0x86, "R", 0x85, "R.");
}

function childChains(result: Awaited<ReturnType<typeof parse>>): string[] {
  return result.children.map((child) => child.chain.join(">"));
}

describe("pickles hidden in values", () => {
  it("scans bytes values that hold a pickle as children", async () => {
    const result = await parse(bytes(0x80, 4, "cbuiltins\nprint\n", "B", u32(INNER.length), INNER, 0x85, "R."));
    expect(childChains(result)).toEqual(["bytes@18"]);
    expect(result.children[0]?.bytes).toEqual(INNER);
    expect(names(imports(result))).toEqual(["builtins.print", "os.system"]);
  });

  it("scans protocol-0 pickles in Python 2 STRING values", async () => {
    const quoted = Array.from(INNER_P0, (byte) =>
      byte === 0x0a ? "\\n" : byte === 0x27 ? "\\'" : String.fromCharCode(byte),
    ).join("");
    const result = await parse(bytes("S'", quoted, "'\n."));
    expect(childChains(result)).toEqual(["bytes@0"]);
    expect(names(imports(result))).toEqual(["os.system"]);
  });

  it("scans base64 and hex strings that decode to a pickle", async () => {
    const base64 = Buffer.from(INNER).toString("base64");
    const hex = Buffer.from(INNER_P0).toString("hex");
    const result = await parse(bytes(0x80, 4, "(", binUnicode(base64), binUnicode(hex), "l."));
    expect(childChains(result)).toEqual([`base64@3`, `hex@${3 + 5 + base64.length}`]);
    expect(names(imports(result))).toEqual(["os.system", "os.system"]);
  });

  it("scans protocol-2 bytes pickled as _codecs.encode(str, 'latin1')", async () => {
    const result = await parse(protocol2Call("cpickle\nloads\n"));
    expect(childChains(result)).toEqual(["bytes@32"]);
    expect(names(imports(result))).toEqual(["pickle.loads", "_codecs.encode", "os.system"]);
  });

  it("ignores ordinary strings, hashes and random bytes", async () => {
    const random = Uint8Array.from({ length: 64 }, (_, index) => (index * 73 + 11) & 0xff);
    const result = await parse(
      bytes(
        0x80,
        4,
        "(",
        binUnicode("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        binUnicode("SGVsbG8sIHdvcmxkISBIZWxsbywgd29ybGQh"),
        binUnicode("a perfectly ordinary sentence."),
        "B",
        u32(random.length),
        random,
        "l.",
      ),
    );
    expect(result.children).toEqual([]);
  });

  describe("torch.storage._load_from_bytes (what pickle.dumps of a tensor writes)", () => {
    const LOADER = bytes(0x8c, 13, "torch.storage", 0x8c, 16, "_load_from_bytes", 0x93);
    const loaded = (result: Awaited<ReturnType<typeof parse>>) =>
      calls(result).map((fact) => [names([fact])[0], fact.loadsChild]);

    it("says which child a call with constant bytes loads, and holds back the import", async () => {
      const direct = await parse(bytes(0x80, 4, LOADER, "B", u32(INNER.length), INNER, 0x85, "R."));
      expect(childChains(direct)).toEqual(["bytes@36"]);
      expect(loaded(direct)).toEqual([
        ["torch.storage._load_from_bytes", "bytes@36"],
        ["os.system", undefined],
      ]);
      expect(names(imports(direct))).toEqual(["os.system"]);
      // BINBYTES8, and bytes memoized first and fetched back with a memo GET.
      const wide = await parse(bytes(0x80, 4, LOADER, 0x8e, u64(INNER.length), INNER, 0x85, "R."));
      expect(loaded(wide)[0]).toEqual(["torch.storage._load_from_bytes", "bytes@36"]);
      const memo = await parse(bytes(0x80, 4, "B", u32(INNER.length), INNER, 0x94, "0", LOADER, "h", 0, 0x85, "R."));
      expect(loaded(memo)[0]).toEqual(["torch.storage._load_from_bytes", "bytes@2"]);
      expect(names(imports(memo))).toEqual(["os.system"]);
    });

    it("says so for protocol-2 bytes, _codecs.encode(str, 'latin1')", async () => {
      const full = await parse(protocol2Call("ctorch.storage\n_load_from_bytes\n"));
      expect(loaded(full).find(([name]) => name === "torch.storage._load_from_bytes")?.[1]).toMatch(/^bytes@/);
      expect(names(imports(full))).toEqual(["_codecs.encode", "os.system"]);
    });

    it("reports the loader as itself for anything but constant bytes read as a child", async () => {
      const random = Uint8Array.from({ length: 40 }, (_, index) => (index * 73 + 11) & 0xff);
      for (const argument of [
        bytes(0x96, u64(INNER.length), INNER), // a bytearray: the stream may change it before the call
        bytes("B", u32(random.length), random), // bytes that are no pickle
        binUnicode("not bytes at all"),
      ]) {
        const result = await parse(bytes(0x80, 5, LOADER, argument, 0x85, "R."));
        expect(loaded(result)[0]).toEqual(["torch.storage._load_from_bytes", undefined]);
        expect(names(imports(result))).toContain("torch.storage._load_from_bytes");
      }
    });
  });
});

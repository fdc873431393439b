import { describe, expect, it } from "vitest";
import { binUnicode, bytes, imports, names, parse, u32 } from "./helpers.js";

const INNER = bytes(0x80, 4, "cos\nsystem\n", 0x8c, 2, "id", 0x85, "R.");
const INNER_P0 = bytes("cos\nsystem\n(S'id'\ntR.");

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
    // As pickle.dumps(protocol=2) writes bytes: the pickle's bytes are code points of a str.
    const latin1 = Array.from(INNER, (byte) => String.fromCharCode(byte)).join("");
    const result = await parse(
      bytes(
        0x80,
        2,
        "cpickle\nloads\n",
        "c_codecs\nencode\n",
        binUnicode(latin1),
        binUnicode("latin1"),
        0x86,
        "R",
        0x85,
        "R.",
      ),
    );
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
});

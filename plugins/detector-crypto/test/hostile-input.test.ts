import { readFileSync } from "node:fs";
import { mutateBytes, scanBytes, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { judgeCiphers, judgeRandomness, readPython } from "../src/index.js";
import { fixturePath, withHandlers } from "./helpers.js";

describe("hostile code never crashes or hangs the analysis", () => {
  it.each([
    ["an unterminated string", 'key = b"never closed\nAES.new(key, AES.MODE_ECB'],
    ["an unterminated triple-quoted string", 'x = """\nAES.new(b"Sixteen byte key")\n'],
    ["unbalanced brackets", `${"(".repeat(10_000)}AES.new(b"0123456789abcdef"`],
    ["a huge single line", `x = [${"1, ".repeat(200_000)}]`],
    ["backslash continuations at the end", "x = 1 \\\n\\\n\\"],
    ["many seeds", "random.seed(1)\n".repeat(5_000) + "token = random.randbytes(16)\n"],
    [
      "deep nesting of defs",
      Array.from({ length: 500 }, (_, depth) => `${" ".repeat(depth)}def f${depth}():`).join("\n"),
    ],
  ])("%s", (_name, code) => {
    const source = readPython(code);
    expect(() => judgeCiphers(source)).not.toThrow();
    expect(() => judgeRandomness(source)).not.toThrow();
  });

  it("mutated fixtures scan to an outcome, never a crash", async () => {
    const random = seededRandom(11);
    for (const file of [
      "hard-coded-ecb/modeling_secure.py",
      "seeded-token.pkl",
      "ecb-config/config.json",
      "encrypted-archive.zip",
    ]) {
      const original = new Uint8Array(readFileSync(fixturePath(file)));
      for (let round = 0; round < 10; round++) {
        const name = file.slice(file.lastIndexOf("/") + 1);
        const report = await scanBytes(name, mutateBytes(original, random), [...withHandlers]);
        expect(["clean", "findings", "inconclusive"]).toContain(report.files[0]!.outcome);
      }
    }
  });
});

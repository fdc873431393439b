import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { runDetector } from "./support/run-detector.js";

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function randomFloat32(bytes: number, seed: number, scale: number): Uint8Array {
  const next = xorshift(seed);
  const floats = new Float32Array(bytes / 4);
  for (let index = 0; index < floats.length; index++) floats[index] = (next() + next() + next() - 1.5) * scale;
  return new Uint8Array(floats.buffer);
}

describe("random data (seeded property tests)", () => {
  it("64 MB of random float32 weights at the thorough level: no findings, clean, fast", async () => {
    const started = Date.now();
    // Not a model file name: with no format handler here, a `.bin` would be inconclusive for that alone.
    const report = await scanBytes("weights.raw", randomFloat32(64 * 1024 * 1024, 1, 0.05), [plugin], {
      level: "thorough",
    });
    expect(report.findings).toEqual([]);
    expect(report.files[0]?.outcome).toBe("clean");
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 120_000);

  it("uniform random bytes, wide-range floats and random digit text: no findings", () => {
    const next = xorshift(3);
    for (const seed of [1, 2, 3]) {
      const words = new Uint32Array(512 * 1024).map(() => next() * 2 ** 32);
      expect(runDetector([], [new Uint8Array(words.buffer)])).toEqual([]);
      expect(runDetector([], [randomFloat32(2 * 1024 * 1024, seed, 1e6)])).toEqual([]);
    }
    // Random printable text has digits, @ and dashes, but not the structure (Luhn + IIN + layout, SSN ranges, mod 97).
    const printable = new Uint8Array(1024 * 1024).map(() => 0x20 + Math.floor(next() * 95));
    expect(runDetector([], [printable])).toEqual([]);
  });

  it("random strings as text facts of every role never throw", () => {
    const next = xorshift(5);
    const roles = ["metadata", "config", "string-constant", "name", "documentation", "vocabulary", "other"] as const;
    for (let index = 0; index < 2000; index++) {
      const length = Math.floor(next() * 300);
      const alphabet = '0123456789 -+@.:=,{}"abcXYZ\n';
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const role = roles[index % roles.length];
      expect(() =>
        runDetector([{ kind: "text", text, role, key: index % 2 ? "phone" : "rows[0].email" }]),
      ).not.toThrow();
    }
  });
});

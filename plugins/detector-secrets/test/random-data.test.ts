import { describe, expect, it } from "vitest";
import { fakeSecrets } from "./support/fake-secrets.js";
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

function randomFloat32(bytes: number, seed: number): Uint8Array {
  const next = xorshift(seed);
  const floats = new Float32Array(bytes / 4);
  for (let index = 0; index < floats.length; index++) floats[index] = (next() + next() + next() - 1.5) * 0.05;
  return new Uint8Array(floats.buffer);
}

function randomBytes(length: number, seed: number): Uint8Array {
  const next = xorshift(seed);
  const words = new Uint32Array(length / 4);
  for (let index = 0; index < words.length; index++) words[index] = next() * 2 ** 32;
  return new Uint8Array(words.buffer);
}

describe("random data (seeded property tests)", () => {
  it("16 MB of random float32 weights: no findings, no exceptions", () => {
    const started = Date.now();
    expect(runDetector([], [randomFloat32(16 * 1024 * 1024, 1)])).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("uniform random bytes and random printable text: no findings", () => {
    for (const seed of [1, 2, 3]) expect(runDetector([], [randomBytes(2 * 1024 * 1024, seed)])).toEqual([]);
    const next = xorshift(9);
    const printable = new Uint8Array(1024 * 1024).map(() => 0x20 + Math.floor(next() * 95));
    expect(runDetector([], [printable])).toEqual([]);
  });

  it("random strings as text facts of every role: no exceptions, findings only from patterns", () => {
    const next = xorshift(5);
    const roles = ["metadata", "config", "string-constant", "name", "documentation", "other"] as const;
    for (let index = 0; index < 2000; index++) {
      const length = Math.floor(next() * 200);
      const text = String.fromCharCode(...Array.from({ length }, () => Math.floor(next() * 0x3000)));
      const role = roles[index % roles.length];
      expect(() => runDetector([{ kind: "text", text, role, key: "password" }])).not.toThrow();
    }
  });

  it("mutations of secret-bearing bytes (bit flips, truncations) never throw", () => {
    const s = fakeSecrets(2);
    const base = new TextEncoder().encode(`${s.github}\n-----BEGIN RSA PRIVATE KEY-----\n${s.pemBody}\n${s.jwt} é`);
    const next = xorshift(11);
    for (let round = 0; round < 300; round++) {
      const copy = base.slice(0, Math.floor(next() * base.length) + 1);
      for (let flip = 0; flip < 8; flip++) {
        const at = Math.floor(next() * copy.length);
        copy[at] = (copy[at] as number) ^ (1 << Math.floor(next() * 8));
      }
      expect(() => runDetector([], [copy], {}, 1 + Math.floor(next() * 64))).not.toThrow();
    }
  });
});

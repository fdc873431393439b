import { describe, expect, it } from "vitest";
import { BufferPool } from "../src/index.js";

describe("BufferPool", () => {
  it("hands back given buffers, zeroed on request, and keeps only its size and a bounded number", () => {
    const pool = new BufferPool(16, 1);
    const first = pool.take();
    expect(first.length).toBe(16);
    first.fill(7);
    pool.give(first);
    pool.give(new Uint8Array(16));
    pool.give(new Uint8Array(8));
    const again = pool.take(true);
    expect(again).toBe(first);
    expect(Array.from(again)).toEqual(new Array(16).fill(0));
    expect(pool.take()).not.toBe(first);
  });

  it("shares one pool per size between readers, and gives back only to a pool of the buffer's size", () => {
    const size = 12_345;
    const first = BufferPool.of(size).take();
    BufferPool.giveBack(first);
    expect(BufferPool.of(size).take()).toBe(first);
    BufferPool.giveBack(new Uint8Array(size + 1));
    expect(BufferPool.of(size + 1).take()).not.toBe(first);
  });
});

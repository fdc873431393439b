import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { KernelJobs, KernelMemory } from "@modelaudit/core/detector";
import { seededRandom } from "@modelaudit/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { blockDequantizer } from "../src/ggml-blocks.js";
import { countBuckets } from "../src/median-sketch.js";
import { Q8_0_KERNEL_MAX_BLOCKS, Q8_0Kernel } from "../src/q8-0-kernel.js";
import { TensorStatistics } from "../src/statistics.js";

// The hashing thread as the engine starts it (core's built worker): it runs the q8_0 kernel's
// histogram calls handed to it between the chunks it hashes.
const hashWorker = new Worker(fileURLToPath(new URL("../../core/dist/hash-worker.js", import.meta.url)));
let thereIsTime = true;
KernelJobs.get()!.attach(hashWorker, () => thereIsTime);
afterAll(() => hashWorker.terminate());

/** Has the thread go through its jobs, as it does around each chunk it hashes. */
function nudge(): void {
  hashWorker.postMessage({
    type: "update",
    id: 1,
    buffer: new SharedArrayBuffer(8),
    offset: 0,
    length: 8,
    algorithms: ["sha256"],
  });
}

async function ranElsewhereReaches(count: number): Promise<void> {
  for (let tries = 0; tries < 200 && KernelJobs.get()!.ranElsewhere < count; tries++) {
    nudge();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Random q8_0 blocks with scales a quantizer writes. */
function q8Blocks(blocks: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(blocks * 34);
  for (let block = 0; block < blocks; block++) {
    const d = 0x2000 + Math.floor(random() * 0x0c00);
    bytes[block * 34] = d & 0xff;
    bytes[block * 34 + 1] = d >>> 8;
    for (let j = 0; j < 32; j++) bytes[block * 34 + 2 + j] = Math.floor(random() * 256);
  }
  return bytes;
}

/** The median sketch's buckets of the blocks' decoded values. */
function bucketsOf(blocks: Uint8Array): Uint32Array {
  const count = blocks.length / 34;
  const values = new Float32Array(count * 32);
  blockDequantizer("q8_0", 34)!(blocks, count, values);
  const buckets = new Uint32Array(65536);
  countBuckets(new Uint32Array(values.buffer), buckets);
  return buckets;
}

describe("kernel jobs on the hashing thread", () => {
  it("count a window in place in a chunk area there, and the counts are the same", async () => {
    const kernel = Q8_0Kernel.get()!;
    const memory = KernelMemory.get()!;
    const blocks = q8Blocks(3 * Q8_0_KERNEL_MAX_BLOCKS, 1);
    const area = memory.chunk(blocks.length)!;
    area.set(blocks);
    const counters = kernel.counters.take();
    try {
      const before = KernelJobs.get()!.ranElsewhere;
      for (let start = 0; start < 3; start++) {
        const window = area.subarray(start * Q8_0_KERNEL_MAX_BLOCKS * 34, (start + 1) * Q8_0_KERNEL_MAX_BLOCKS * 34);
        kernel.window(window);
        kernel.histogram(counters);
      }
      await ranElsewhereReaches(before + 3);
      expect(KernelJobs.get()!.ranElsewhere).toBe(before + 3);
      // What the thread counted is in its own counters until the sketch settles them in.
      kernel.counters.settle(counters);
      expect(Array.from(counters)).toEqual(Array.from(bucketsOf(blocks)));
    } finally {
      kernel.counters.giveBack(counters);
      memory.giveBack(area);
    }
  });

  it("run unclaimed jobs here when an area is lent again, before its bytes are overwritten", () => {
    const kernel = Q8_0Kernel.get()!;
    const memory = KernelMemory.get()!;
    const blocks = q8Blocks(Q8_0_KERNEL_MAX_BLOCKS, 2);
    const area = memory.chunk(blocks.length)!;
    area.set(blocks);
    const counters = kernel.counters.take();
    try {
      const before = KernelJobs.get()!.ranElsewhere;
      kernel.window(area);
      kernel.histogram(counters);
      expect(KernelJobs.get()!.pending).toBe(true);
      memory.giveBack(area);
      // Lent again (the thread was not nudged: the job is still open), then overwritten.
      const again = memory.chunk(blocks.length)!;
      expect(again.byteOffset).toBe(area.byteOffset);
      expect(KernelJobs.get()!.pending).toBe(false);
      again.fill(0x55);
      kernel.counters.settle(counters);
      expect(KernelJobs.get()!.ranElsewhere).toBe(before);
      expect(Array.from(counters)).toEqual(Array.from(bucketsOf(blocks)));
      memory.giveBack(again);
    } finally {
      kernel.counters.giveBack(counters);
    }
  });

  it("give a tensor the same median, MAD and figures whether the thread or this one counts", async () => {
    const memory = KernelMemory.get()!;
    const shape = [96, 1024];
    const blocks = q8Blocks((96 * 1024) / 32, 3);
    const area = memory.chunk(blocks.length)!;
    area.set(blocks);
    try {
      const run = async (time: boolean) => {
        thereIsTime = time;
        const statistics = new TensorStatistics("q8_0", shape, { robustEvery: 1, exactValues: 64 });
        for (let start = 0; start < blocks.length; start += 34 * 512) {
          statistics.data(area.subarray(start, Math.min(blocks.length, start + 34 * 512)), start);
          nudge();
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        statistics.end(true);
        return { median: statistics.median, mad: statistics.mad, summary: statistics.summary() };
      };
      const before = KernelJobs.get()!.ranElsewhere;
      const elsewhere = await run(true);
      expect(KernelJobs.get()!.ranElsewhere).toBeGreaterThan(before);
      const here = await run(false);
      expect(elsewhere).toEqual(here);
    } finally {
      thereIsTime = true;
      memory.giveBack(area);
    }
  });
});

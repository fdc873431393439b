import { describe, expect, it } from "vitest";
import { KernelJobs } from "../src/engine/kernel-jobs.js";
import { KernelMemory } from "../src/engine/wasm-kernel.js";

// No hashing thread here: every job is settled on this thread, in the order it was submitted.
describe("kernel jobs without a thread to run them", () => {
  it("are run here when settled, in order, the oldest first when the ring is full", () => {
    const jobs = KernelJobs.get()!;
    expect(jobs.worthSubmitting).toBe(false);
    const ran: number[] = [];
    for (let job = 0; job < 300; job++) jobs.submit(0, job, 0, 0, 0, 0, () => ran.push(job));
    // 256 slots: the first 44 were settled to make room.
    expect(ran).toEqual(Array.from({ length: 44 }, (_, job) => job));
    expect(jobs.pending).toBe(true);
    jobs.settleAll();
    expect(ran).toEqual(Array.from({ length: 300 }, (_, job) => job));
    expect(jobs.pending).toBe(false);
    expect(jobs.ranElsewhere).toBe(0);
  });

  it("that read a chunk area are settled before the area is lent again, and the later ones are not", () => {
    const jobs = KernelJobs.get()!;
    const memory = KernelMemory.get()!;
    const first = memory.chunk(1024)!;
    const second = memory.chunk(1024)!;
    const ran: string[] = [];
    jobs.submit(0, 0, 0, 0, first.byteOffset, first.byteOffset + 100, () => ran.push("first"));
    jobs.submit(0, 0, 0, 0, second.byteOffset, second.byteOffset + 100, () => ran.push("second"));
    memory.giveBack(first);
    const again = memory.chunk(1024)!;
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(ran).toEqual(["first"]);
    expect(jobs.pending).toBe(true);
    jobs.settleAll();
    expect(ran).toEqual(["first", "second"]);
    memory.giveBack(again);
    memory.giveBack(second);
  });

  it("tell bytes in a chunk area (jobs may read them) from a kernel's own area", () => {
    const memory = KernelMemory.get()!;
    const area = memory.chunk(4096)!;
    const own = new Uint8Array(memory.buffer, memory.reserve(4096), 4096);
    expect(memory.inChunkArea(area.subarray(100, 200))).toBe(true);
    expect(memory.inChunkArea(own)).toBe(false);
    expect(memory.inChunkArea(new Uint8Array(4096))).toBe(false);
    memory.giveBack(area);
  });
});

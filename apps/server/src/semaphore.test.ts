import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore.js";

describe("Semaphore", () => {
  it("never runs more tasks than its capacity and runs every task, in arrival order", async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (index: number) => async () => {
      started.push(index);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return index;
    };
    const results = await Promise.all(Array.from({ length: 7 }, (_, index) => semaphore.run(task(index))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect([semaphore.active, semaphore.waiting]).toEqual([0, 0]);
  });

  it("releases the slot when a task fails", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error("scan failed")))).rejects.toThrow("scan failed");
    expect(await semaphore.run(async () => "next")).toBe("next");
    expect(semaphore.active).toBe(0);
  });

  it("refuses a capacity below one", () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});

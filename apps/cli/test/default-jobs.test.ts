import { afterEach, describe, expect, it, vi } from "vitest";

const cpus = vi.hoisted(() => ({ count: 2 }));
vi.mock("node:os", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:os")>()),
  availableParallelism: () => cpus.count,
}));

const { defaultJobs } = await import("../src/scan-command.js");

describe("the default --jobs", () => {
  afterEach(() => {
    cpus.count = 2;
  });

  it("leaves one CPU to the main thread and V8's own threads, and scans in this thread on one or two", () => {
    const jobs = (count: number) => {
      cpus.count = count;
      return defaultJobs();
    };
    expect([jobs(1), jobs(2), jobs(4), jobs(16)]).toEqual([1, 1, 3, 15]);
  });
});

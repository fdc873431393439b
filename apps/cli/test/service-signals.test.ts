import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveIo } from "../src/io.js";

// The service stands in for @modelaudit/server: a stop signal arrives while it starts (before
// `modelaudit serve` could have listened for one), or the start fails.
const server = vi.hoisted(() => ({
  close: vi.fn(async () => undefined),
  signalWhileStarting: true,
  fails: false,
}));
vi.mock("@modelaudit/server", () => ({
  main: async () => {
    if (server.signalWhileStarting) process.emit("SIGTERM", "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 10));
    return server.fails ? { exitCode: 2 } : { exitCode: 0, close: server.close };
  },
  workerMain: async () => ({ exitCode: 2 }),
}));

const { serviceCommand } = await import("../src/service-command.js");

function io() {
  return resolveIo({
    stdout: { write: () => true },
    stderr: { write: () => true },
    resolvePlugin: () => "/nowhere/x.js",
  });
}

describe("modelaudit serve and stop signals", () => {
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  afterEach(() => {
    vi.restoreAllMocks();
    server.close.mockClear();
    // What a test left listening (the other signal's listener once one has fired) goes.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal)) {
        if (!before[signal].includes(listener)) process.off(signal, listener);
      }
    }
  });

  it("closes the service and exits 0 when SIGTERM came while it started", async () => {
    const listeners = process.listenerCount("SIGTERM");
    const { exit, exitCode } = serve({ signalWhileStarting: true, fails: false });
    expect(await exitCode).toBe(0);
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(server.close).toHaveBeenCalledTimes(1);
    expect(process.listenerCount("SIGTERM")).toBe(listeners);
  });

  it("gives the signals back when the service did not start, and closes nothing", async () => {
    const listeners = process.listenerCount("SIGTERM");
    const { exit, exitCode } = serve({ signalWhileStarting: false, fails: true });
    expect(await exitCode).toBe(2);
    expect(process.listenerCount("SIGTERM")).toBe(listeners);
    expect(server.close).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it("waits for a signal after the start, then closes and exits 0", async () => {
    const { exit, exitCode } = serve({ signalWhileStarting: false, fails: false });
    expect(await exitCode).toBe(0);
    expect(server.close).not.toHaveBeenCalled();
    process.emit("SIGINT", "SIGINT");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(server.close).toHaveBeenCalledTimes(1);
  });
});

/** `modelaudit serve` against the stand-in service, with process.exit stubbed (its spy returned). */
function serve(stand: { signalWhileStarting: boolean; fails: boolean }) {
  const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
  server.signalWhileStarting = stand.signalWhileStarting;
  server.fails = stand.fails;
  return { exit, exitCode: serviceCommand("serve", [], io()) };
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { afterEach, describe, expect, it } from "vitest";
import { ScanStore } from "./store.js";

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function openStore(): Promise<{ store: ScanStore; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "modelaudit-store-"));
  directories.push(dataDir);
  return { store: new ScanStore(dataDir), dataDir };
}

const REPORT = { schemaVersion: "2.0.0", files: [] } as unknown as Report;
const ID = "00000000-0000-4000-8000-000000000001";

describe("ScanStore", () => {
  it("applies its migrations once, however often it is opened", async () => {
    const { store, dataDir } = await openStore();
    store.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
    store.close();
    const again = new ScanStore(dataDir);
    expect(again.db.prepare("SELECT version FROM migrations").all()).toEqual([{ version: 1 }]);
    expect(again.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(again.get(ID)?.status).toBe("queued");
    again.close();
  });

  it("records a completion once: a second worker finishing the same scan changes nothing", async () => {
    const { store } = await openStore();
    store.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
    expect(store.claim(ID, 3, "w1").kind).toBe("run");
    expect(store.claim(ID, 3, "w2").kind).toBe("run");
    expect(store.complete(ID, REPORT, 0, "w1")).toBe(true);
    expect(store.complete(ID, { ...REPORT, files: [{ path: "x" }] } as unknown as Report, 1, "w2")).toBe(false);
    expect(store.fail(ID, "late", "w3")).toBe(false);
    expect(store.get(ID)).toMatchObject({ status: "done", exitCode: 0, attempts: 2 });
    expect(store.report(ID)).toEqual(REPORT);
    expect(store.completions().get(ID)).toBe(1);
    expect(store.claim(ID, 3, "w4").kind).toBe("finished");
    store.close();
  });

  it("never shows a half-written report as done: a failure while writing it rolls the status back", async () => {
    const { store } = await openStore();
    store.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
    store.claim(ID, 3, "w1");
    // JSON.stringify throws on a BigInt after the status UPDATE ran inside the transaction.
    const unserialisable = { ...REPORT, size: 1n } as unknown as Report;
    expect(() => store.complete(ID, unserialisable, 0, "w1")).toThrow();
    expect(store.get(ID)?.status).toBe("running");
    expect(store.report(ID)).toBeUndefined();
    store.close();
  });

  it("re-queues scans interrupted by a restart and fails them with a reason after N attempts", async () => {
    const { store } = await openStore();
    store.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect(store.claim(ID, 2, "embedded").kind).toBe("run");
      const recovered = store.recoverInterrupted(2, "embedded");
      if (attempt === 1) {
        expect(recovered).toEqual({ requeued: 1, failed: 0 });
        expect(store.get(ID)?.status).toBe("queued");
      } else {
        expect(recovered).toEqual({ requeued: 0, failed: 1 });
      }
    }
    expect(store.get(ID)).toMatchObject({ status: "failed", attempts: 2 });
    expect(store.get(ID)?.error).toMatch(/interrupted 2 times/);

    // A queue-delivered scan that keeps losing its worker is failed at its next claim.
    const other = "00000000-0000-4000-8000-000000000002";
    store.insert(other, "alice", { kind: "upload", inputs: ["b.pkl"] });
    store.claim(other, 1, "w1");
    const claim = store.claim(other, 1, "w2");
    expect(claim.kind).toBe("exhausted");
    expect(store.get(other)?.error).toMatch(/gave up after 1 interrupted attempt/);
    store.close();
  });

  it("lists by owner and status, newest first, with a keyset cursor", async () => {
    const { store } = await openStore();
    const ids = [1, 2, 3].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    for (const id of ids) {
      store.insert(id, id.endsWith("2") ? "bob" : "alice", { kind: "upload", inputs: ["a"] });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(store.list({ owner: "alice", limit: 10 }).map((row) => row.id)).toEqual([ids[2], ids[0]]);
    expect(store.list({ limit: 10 }).map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
    const [first] = store.list({ limit: 1 });
    expect(store.list({ limit: 10, after: { createdAt: first?.createdAt ?? "", id: first?.id ?? "" } })).toHaveLength(
      2,
    );
    expect(store.list({ status: "done", limit: 10 })).toEqual([]);
    store.close();
  });
});

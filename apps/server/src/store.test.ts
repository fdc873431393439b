import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { onCleanup, temporaryDirectory } from "../test/helpers.js";
import { freshDatabase, queryDatabase, TEST_DATABASE_URL } from "../test/postgres.js";
import { openStore, type StoreLocation } from "./open-store.js";
import { completionCounts, type ScanStore } from "./store.js";

/** The same contract, run against each store (PostgreSQL when MODELAUDIT_TEST_DATABASE_URL is set). */
const STORES = [
  {
    kind: "sqlite",
    skip: false,
    location: async (): Promise<StoreLocation> => ({ dataDir: await temporaryDirectory("modelaudit-store-") }),
    migrations: async (location: StoreLocation): Promise<number[]> => {
      const db = new Database(path.join(location.dataDir, "modelaudit.sqlite"), { readonly: true });
      try {
        return (db.prepare("SELECT version FROM migrations").all() as { version: number }[]).map((row) => row.version);
      } finally {
        db.close();
      }
    },
  },
  {
    kind: "postgres",
    skip: !TEST_DATABASE_URL,
    location: async (): Promise<StoreLocation> => ({
      dataDir: await temporaryDirectory("modelaudit-store-"),
      databaseUrl: await freshDatabase(),
    }),
    migrations: async (location: StoreLocation): Promise<number[]> =>
      (await queryDatabase<{ version: number }>(location.databaseUrl as string, "SELECT version FROM migrations")).map(
        (row) => row.version,
      ),
  },
] as const;

async function open(location: StoreLocation): Promise<ScanStore> {
  const store = await openStore(location);
  onCleanup(() => store.close().catch(() => undefined));
  return store;
}

const REPORT = { schemaVersion: "2.0.0", files: [] } as unknown as Report;
const ID = "00000000-0000-4000-8000-000000000001";
const scanId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe.each(STORES)("$kind store", (store) => {
  it.skipIf(store.skip)("applies its migrations once, however often and however many at once open it", async () => {
    const location = await store.location();
    const [first, second] = await Promise.all([open(location), open(location)]);
    expect(first?.kind).toBe(store.kind);
    await first?.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
    await first?.close();
    await second?.close();
    const again = await open(location);
    expect(await store.migrations(location)).toEqual([1]);
    expect((await again.get(ID))?.status).toBe("queued");
  });

  it.skipIf(store.skip)(
    "records a completion once: a second worker finishing the same scan changes nothing",
    async () => {
      const scans = await open(await store.location());
      await scans.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
      expect((await scans.claim(ID, 3, "w1")).kind).toBe("run");
      expect((await scans.claim(ID, 3, "w2")).kind).toBe("run");
      expect(await scans.complete(ID, REPORT, 0, "w1")).toBe(true);
      expect(await scans.complete(ID, { ...REPORT, files: [{ path: "x" }] } as unknown as Report, 1, "w2")).toBe(false);
      expect(await scans.fail(ID, "late", "w3")).toBe(false);
      expect(await scans.get(ID)).toMatchObject({ status: "done", exitCode: 0, attempts: 2 });
      expect(await scans.report(ID)).toEqual(REPORT);
      expect(await scans.completions()).toEqual([{ scanId: ID, actor: "w1" }]);
      expect((await scans.claim(ID, 3, "w4")).kind).toBe("finished");
    },
  );

  it.skipIf(store.skip)("completes each scan once when two connections race to claim and finish it", async () => {
    const location = await store.location();
    const [one, two] = [await open(location), await open(location)];
    const ids = Array.from({ length: 20 }, (_, index) => scanId(index + 1));
    for (const id of ids) await one.insert(id, "alice", { kind: "upload", inputs: ["a"] });
    const work = async (scans: ScanStore, actor: string) => {
      for (const id of ids) {
        const claim = await scans.claim(id, 5, actor);
        if (claim.kind === "run") await scans.complete(id, REPORT, 0, actor);
      }
    };
    await Promise.all([work(one, "w1"), work(two, "w2"), work(one, "w3"), work(two, "w4")]);
    const counts = completionCounts(await one.completions());
    expect(counts.size).toBe(ids.length);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(await two.count("done")).toBe(ids.length);
  });

  it.skipIf(store.skip)(
    "never shows a half-written report as done: a failure while writing it rolls the status back",
    async () => {
      const scans = await open(await store.location());
      await scans.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
      await scans.claim(ID, 3, "w1");
      // JSON.stringify throws on a BigInt after the status UPDATE ran inside the transaction.
      const unserialisable = { ...REPORT, size: 1n } as unknown as Report;
      await expect(scans.complete(ID, unserialisable, 0, "w1")).rejects.toThrow();
      expect((await scans.get(ID))?.status).toBe("running");
      expect(await scans.report(ID)).toBeUndefined();
      expect(await scans.completions()).toEqual([]);
      // The store is still usable after the rollback.
      expect(await scans.complete(ID, REPORT, 0, "w1")).toBe(true);
    },
  );

  it.skipIf(store.skip)(
    "re-queues scans interrupted by a restart and fails them with a reason after N attempts",
    async () => {
      const scans = await open(await store.location());
      await scans.insert(ID, "alice", { kind: "upload", inputs: ["a.pkl"] });
      for (let attempt = 1; attempt <= 2; attempt++) {
        expect((await scans.claim(ID, 2, "embedded")).kind).toBe("run");
        const recovered = await scans.recoverInterrupted(2, "embedded");
        if (attempt === 1) {
          expect(recovered).toEqual({ requeued: 1, failed: 0 });
          expect((await scans.get(ID))?.status).toBe("queued");
          expect(await scans.queued(10)).toEqual([ID]);
        } else {
          expect(recovered).toEqual({ requeued: 0, failed: 1 });
        }
      }
      expect(await scans.get(ID)).toMatchObject({ status: "failed", attempts: 2 });
      expect((await scans.get(ID))?.error).toMatch(/interrupted 2 times/);

      // A queue-delivered scan that keeps losing its worker is failed at its next claim.
      const other = scanId(2);
      await scans.insert(other, "alice", { kind: "upload", inputs: ["b.pkl"] });
      await scans.claim(other, 1, "w1");
      const claim = await scans.claim(other, 1, "w2");
      expect(claim).toMatchObject({ kind: "exhausted", row: { status: "failed", attempts: 1 } });
      expect((await scans.get(other))?.error).toMatch(/gave up after 1 interrupted attempt/);
      // A scan requeued by a stopping process goes back to the queue; a deleted one is gone.
      const third = scanId(3);
      await scans.insert(third, "alice", { kind: "upload", inputs: ["c.pkl"] });
      await scans.claim(third, 3, "w1");
      await scans.requeue(third);
      expect((await scans.get(third))?.status).toBe("queued");
      expect(await scans.delete(third)).toBe(true);
      expect(await scans.get(third)).toBeUndefined();
      expect((await scans.claim(third, 3, "w1")).kind).toBe("finished");
    },
  );

  it.skipIf(store.skip)("lists by owner and status, newest first, with a keyset cursor", async () => {
    const scans = await open(await store.location());
    const ids = [1, 2, 3].map(scanId);
    for (const id of ids) {
      const row = await scans.insert(id, id.endsWith("2") ? "bob" : "alice", { kind: "upload", inputs: ["a"] });
      expect(row.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect((await scans.list({ owner: "alice", limit: 10 })).map((row) => row.id)).toEqual([ids[2], ids[0]]);
    expect((await scans.list({ limit: 10 })).map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
    const [first] = await scans.list({ limit: 1 });
    const after = { createdAt: first?.createdAt ?? "", id: first?.id ?? "" };
    expect((await scans.list({ limit: 10, after })).map((row) => row.id)).toEqual([ids[1], ids[0]]);
    expect(await scans.list({ status: "done", limit: 10 })).toEqual([]);
    expect(await scans.count("queued")).toBe(3);
  });
});

describe("sqlite store", () => {
  it("runs in WAL mode (readers never wait for the writer)", async () => {
    const location = await STORES[0].location();
    await open(location);
    const db = new Database(path.join(location.dataDir, "modelaudit.sqlite"), { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});

describe.skipIf(!TEST_DATABASE_URL)("postgres store", () => {
  it("lets one embedded service at a time use a database, until its connection ends", async () => {
    const location = await STORES[1].location();
    const [first, second] = [await open(location), await open(location)];
    await first.reserveForEmbeddedService?.();
    await expect(second.reserveForEmbeddedService?.()).rejects.toThrow(/another modelaudit service/);
    await first.close();
    await expect(second.reserveForEmbeddedService?.()).resolves.toBeUndefined();
  });

  it("refuses a URL that is not PostgreSQL's, and says so without repeating it", async () => {
    const dataDir = await temporaryDirectory();
    await expect(openStore({ dataDir, databaseUrl: "mysql://user:secret@host/db" })).rejects.toThrow(
      /^DATABASE_URL must start with postgres:\/\//,
    );
    await expect(openStore({ dataDir, databaseUrl: "postgres://user:secret@127.0.0.1:1/db" })).rejects.not.toThrow(
      /secret/,
    );
  });
});

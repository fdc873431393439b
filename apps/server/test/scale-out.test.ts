import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { openStore } from "../src/open-store.js";
import { QUEUE_NAME, redisClient } from "../src/redis-queue.js";
import { completionCounts } from "../src/store.js";
import { DEFAULT_MAX_ATTEMPTS } from "../src/worker.js";
import {
  ALICE,
  expectNoUploads,
  get,
  type ScanBody,
  startServer,
  temporaryDirectory,
  upload,
  waitForScan,
} from "./helpers.js";
import { freshDatabase, TEST_DATABASE_URL } from "./postgres.js";
import { spawnDist, waitForOutput } from "./processes.js";

const CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));
const REDIS_URL = process.env.REDIS_URL;
const SCANS = 50;

// Locally without Redis these tests skip, saying so; in CI (CI=1, where .ci/run starts redis-server) they must run.
if (!REDIS_URL && process.env.CI) throw new Error("CI=1 but REDIS_URL is unset: .ci/run must start redis-server");
if (!REDIS_URL)
  console.warn("scale-out tests skipped: set REDIS_URL=redis://127.0.0.1:6379 to run them against a real Redis");

/** The API and its workers share a SQLite file in one data directory, or a PostgreSQL database. */
const STORES = [
  { kind: "sqlite", skip: false, databaseUrl: async (): Promise<string | undefined> => undefined },
  { kind: "postgres", skip: !TEST_DATABASE_URL, databaseUrl: freshDatabase },
] as const;

describe.skipIf(!REDIS_URL).each(STORES)("scale-out on Redis (BullMQ), $kind store", (store) => {
  it.skipIf(store.skip)(
    "two workers, fifty scans, one worker killed mid-way: every scan done exactly once",
    async () => {
      const dataDir = await temporaryDirectory();
      // Uploaded bytes reach the workers through a blob directory of its own (a shared mount in production);
      // with PostgreSQL the workers share nothing else with the API, not even a data directory.
      const blobDir = await temporaryDirectory("modelaudit-blobs-");
      const databaseUrl = await store.databaseUrl();
      const workerDataDir = databaseUrl ? await temporaryDirectory("modelaudit-worker-") : dataDir;
      const queuePrefix = `modelaudit-test-${randomUUID()}`;
      const { url } = await startServer({
        dataDir,
        blobDir,
        redisUrl: REDIS_URL,
        queuePrefix,
        configFile: CONFIG,
        ...(databaseUrl ? { databaseUrl } : {}),
      });
      const workerArgs = [
        "worker",
        ...(databaseUrl ? ["--database-url", databaseUrl] : []),
        "--data-dir",
        workerDataDir,
        "--blob-dir",
        blobDir,
        "--config",
        CONFIG,
        "--redis-url",
        REDIS_URL as string,
        "--queue-prefix",
        queuePrefix,
        "--scan-threads",
        "2",
        "--lock-ms",
        "2000",
      ];
      const workers = [spawnDist(workerArgs), spawnDist(workerArgs)];
      for (const worker of workers) await waitForOutput(worker, /worker ready/);

      const expected = new Map<string, number>();
      for (let index = 0; index < SCANS; index++) {
        const bad = index % 3 === 0;
        // Each scan takes 600 ms, so the kill below lands while the worker holds scans (with 250 ms
        // it once landed between two of its scans, and no scan needed a second attempt).
        const content = `FLAG\nSLEEP 600\nline ${index}${bad ? " BAD" : ""}\n`;
        const response = await upload(url, ALICE, [{ name: "file", filename: `scan-${index}.flag`, content }]);
        expect(response.status).toBe(202);
        expected.set(((await response.json()) as { id: string }).id, bad ? 1 : 0);
      }

      // Kill the first worker with SIGKILL once some scans are done and it is in the middle of others.
      const scans = await openStore({ dataDir, databaseUrl });
      try {
        const deadline = Date.now() + 60_000;
        while ((await scans.completions()).length < 10) {
          expect(Date.now()).toBeLessThan(deadline);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        workers[0]?.child.kill("SIGKILL");
        await workers[0]?.exited;

        const bodies = new Map<string, ScanBody>();
        const finish = Date.now() + 120_000;
        while (bodies.size < SCANS) {
          for (const id of expected.keys()) {
            if (bodies.has(id)) continue;
            const body = (await (await get(url, ALICE, `/v1/scans/${id}`)).json()) as ScanBody;
            if (body.status === "done" || body.status === "failed") bodies.set(id, body);
          }
          if (Date.now() > finish) throw new Error(`only ${bodies.size} of ${SCANS} scans finished`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        for (const [id, exitCode] of expected) {
          expect(bodies.get(id), id).toMatchObject({ status: "done", exitCode });
        }
        // Exactly once: one recorded completion per scan, however many workers ran it.
        const completions = await scans.completions();
        const counts = completionCounts(completions);
        expect(counts.size).toBe(SCANS);
        expect([...counts.values()].every((count) => count === 1)).toBe(true);
        // The killed worker's scans were picked up by the other one (their attempt counted).
        expect([...bodies.values()].some((body) => body.attempts >= 2)).toBe(true);
        expect(new Set(completions.map((completion) => completion.actor)).size).toBe(2);
        expect(scans.kind).toBe(store.kind);
      } finally {
        await scans.close();
      }
      await expectNoUploads(blobDir);
      await expectNoUploads(dataDir);
      await expectNoUploads(workerDataDir);
    },
    240_000,
  );

  it.skipIf(store.skip)(
    "dead-letters a scan whose worker thread dies on every attempt: failed on Redis and in the store, once",
    async () => {
      const dataDir = await temporaryDirectory();
      const databaseUrl = await store.databaseUrl();
      const queuePrefix = `modelaudit-test-${randomUUID()}`;
      const { url } = await startServer({
        dataDir,
        redisUrl: REDIS_URL,
        queuePrefix,
        configFile: CONFIG,
        ...(databaseUrl ? { databaseUrl } : {}),
      });
      // The worker takes every setting from the server config file (flags and env unset).
      const settings = path.join(await temporaryDirectory("modelaudit-settings-"), "server.json");
      await writeFile(
        settings,
        JSON.stringify({ dataDir, redisUrl: REDIS_URL, queuePrefix, config: CONFIG, databaseUrl, scanThreads: 1 }),
      );
      const worker = spawnDist(["worker", "--server-config", settings]);
      await waitForOutput(worker, /worker ready/);
      const response = await upload(url, ALICE, [{ name: "file", filename: "crash.flag", content: "FLAG\nEXIT\n" }]);
      const { id } = (await response.json()) as { id: string };
      const failed = await waitForScan(url, ALICE, id, 60_000);
      expect(failed).toMatchObject({ status: "failed", attempts: DEFAULT_MAX_ATTEMPTS, report: null });
      expect(failed.error).toMatch(/scan engine failed/);

      // The job is in BullMQ's failed set on Redis, with the scan's reason, after every attempt was used.
      const job = await deadLetter(queuePrefix, id);
      expect(job).toEqual({ failedReason: failed.error, attemptsMade: DEFAULT_MAX_ATTEMPTS, failedCount: 1 });
      // Failed once: one "failed" event in the store, no completion.
      const scans = await openStore({ dataDir, databaseUrl });
      try {
        expect(completionCounts(await scans.completions()).get(id)).toBeUndefined();
      } finally {
        await scans.close();
      }
      await expectNoUploads(dataDir);
    },
    120_000,
  );

  it.skipIf(store.skip)(
    "fails a scan past its time budget on a worker (dead letter with the reason), once",
    async () => {
      const dataDir = await temporaryDirectory();
      const databaseUrl = await store.databaseUrl();
      const queuePrefix = `modelaudit-test-${randomUUID()}`;
      const { url } = await startServer({
        dataDir,
        redisUrl: REDIS_URL,
        queuePrefix,
        configFile: CONFIG,
        ...(databaseUrl ? { databaseUrl } : {}),
      });
      const worker = spawnDist([
        "worker",
        ...(databaseUrl ? ["--database-url", databaseUrl] : []),
        "--data-dir",
        dataDir,
        "--config",
        CONFIG,
        "--redis-url",
        REDIS_URL as string,
        "--queue-prefix",
        queuePrefix,
        "--scan-timeout",
        "1",
      ]);
      await waitForOutput(worker, /worker ready/);
      const response = await upload(url, ALICE, [
        { name: "file", filename: "slow.flag", content: "FLAG\nSLEEP 5000\n" },
      ]);
      const { id } = (await response.json()) as { id: string };
      let body: ScanBody | undefined;
      for (let tries = 0; tries < 200; tries++) {
        body = (await (await get(url, ALICE, `/v1/scans/${id}`)).json()) as ScanBody;
        if (body.status === "failed" || body.status === "done") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(body).toMatchObject({ status: "failed", attempts: 1, report: null });
      expect(body?.error).toMatch(/time budget of 1 s/);
      expect(await deadLetter(queuePrefix, id)).toEqual({ failedReason: body?.error, attemptsMade: 1, failedCount: 1 });
      await expectNoUploads(dataDir);
    },
  );
});

/** A job's entry in BullMQ's failed set on Redis (its dead letter), once it is there. */
async function deadLetter(queuePrefix: string, id: string) {
  const client = redisClient(REDIS_URL as string);
  const queue = new Queue(QUEUE_NAME, { connection: client, prefix: queuePrefix });
  try {
    let state = await queue.getJobState(id);
    for (let tries = 0; tries < 100 && state !== "failed"; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await queue.getJobState(id);
    }
    expect(state).toBe("failed");
    const job = await queue.getJob(id);
    return {
      failedReason: job?.failedReason,
      attemptsMade: job?.attemptsMade,
      failedCount: await queue.getFailedCount(),
    };
  } finally {
    await queue.close();
    await client.quit().catch(() => undefined);
  }
}

import type { Report } from "@modelaudit/core/engine";
import pg from "pg";
import type { Claim, Completion, ListQuery, ScanJob, ScanRow, ScanStatus, ScanStore } from "./store.js";

/**
 * Each entry runs once, in order, inside one transaction; the `migrations` table records which ran.
 * Times are `timestamptz(3)` (milliseconds, the precision of a JavaScript date and of list cursors:
 * finer times would make a cursor skip rows). The job and the report are JSON kept as text: `jsonb`
 * would reorder the report's keys and refuses a `\u0000` that JSON allows in a file name.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE scans (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
     created_at TIMESTAMPTZ(3) NOT NULL,
     started_at TIMESTAMPTZ(3),
     finished_at TIMESTAMPTZ(3),
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     exit_code INTEGER,
     job TEXT NOT NULL
   );
   CREATE INDEX scans_owner_created ON scans (owner, created_at);
   CREATE INDEX scans_status_created ON scans (status, created_at);
   CREATE TABLE reports (
     scan_id TEXT PRIMARY KEY REFERENCES scans (id) ON DELETE CASCADE,
     report TEXT NOT NULL
   );
   CREATE TABLE scan_events (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     scan_id TEXT NOT NULL,
     event TEXT NOT NULL,
     actor TEXT NOT NULL,
     at TIMESTAMPTZ(3) NOT NULL
   );
   CREATE INDEX scan_events_scan ON scan_events (scan_id);`,
];

/** Advisory lock keys (any fixed 64-bit numbers, unique to this application). */
const MIGRATION_LOCK = 0x6d6f_6465_6c61_01n;
const EMBEDDED_SERVICE_LOCK = 0x6d6f_6465_6c61_02n;

interface RawRow {
  id: string;
  owner: string;
  status: ScanStatus;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  error: string | null;
  exit_code: number | null;
  job: string;
}

function fromRaw(raw: RawRow): ScanRow {
  return {
    id: raw.id,
    owner: raw.owner,
    status: raw.status,
    createdAt: raw.created_at.toISOString(),
    startedAt: raw.started_at?.toISOString() ?? null,
    finishedAt: raw.finished_at?.toISOString() ?? null,
    attempts: raw.attempts,
    error: raw.error,
    exitCode: raw.exit_code,
    job: JSON.parse(raw.job) as ScanJob,
  };
}

/** A database that does not answer within this long stops start-up (or a request) with an error. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Scans, statuses and reports in PostgreSQL (`DATABASE_URL`), for an API and workers on several
 * machines. Same semantics as the SQLite store: a claim locks the scan's row (`SELECT … FOR
 * UPDATE`) so two workers cannot both take an attempt at once; completion and failure are
 * conditional updates, so a scan completes exactly once; the report is written in the same
 * transaction as `done`, so readers never see one without the other.
 */
export class PostgresStore implements ScanStore {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;
  readonly #url: string;
  /** The connection holding the embedded-service lock, while this process holds it. */
  #serviceClient: pg.Client | undefined;

  private constructor(url: string) {
    this.#url = url;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      application_name: "modelaudit",
    });
    // An idle connection dropped by the server emits here; without a listener it would end the process.
    this.#pool.on("error", () => undefined);
  }

  /** Connects and applies the migrations this database lacks. */
  static async open(url: string): Promise<PostgresStore> {
    const store = new PostgresStore(url);
    try {
      await store.#migrate();
    } catch (error) {
      await store.close();
      throw new Error(`cannot open the PostgreSQL store at DATABASE_URL: ${(error as Error).message}`);
    }
    return store;
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      // Processes starting at once on a fresh database wait here for the first one's migrations.
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK.toString()]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
      );
      const { rows } = await client.query<{ version: number | null }>("SELECT MAX(version) AS version FROM migrations");
      for (let version = (rows[0]?.version ?? 0) + 1; version <= MIGRATIONS.length; version++) {
        await client.query(MIGRATIONS[version - 1] as string);
        await client.query("INSERT INTO migrations (version, applied_at) VALUES ($1, now())", [version]);
      }
    });
  }

  /** Runs `body` in one transaction on one connection; any error rolls it back. */
  async #transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it instead of reusing it.
      client.release(broken);
    }
  }

  async insert(id: string, owner: string, job: ScanJob): Promise<ScanRow> {
    const { rows } = await this.#pool.query<RawRow>(
      "INSERT INTO scans (id, owner, status, created_at, job) VALUES ($1, $2, 'queued', now(), $3) RETURNING *",
      [id, owner, JSON.stringify(job)],
    );
    return fromRaw(rows[0] as RawRow);
  }

  async get(id: string): Promise<ScanRow | undefined> {
    const { rows } = await this.#pool.query<RawRow>("SELECT * FROM scans WHERE id = $1", [id]);
    return rows[0] ? fromRaw(rows[0]) : undefined;
  }

  async report(id: string): Promise<Report | undefined> {
    const { rows } = await this.#pool.query<{ report: string }>("SELECT report FROM reports WHERE scan_id = $1", [id]);
    return rows[0] ? (JSON.parse(rows[0].report) as Report) : undefined;
  }

  async list(query: ListQuery): Promise<ScanRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const parameter = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (query.owner !== undefined) where.push(`owner = ${parameter(query.owner)}`);
    if (query.status !== undefined) where.push(`status = ${parameter(query.status)}`);
    if (query.after) {
      const createdAt = parameter(query.after.createdAt);
      where.push(`(created_at < ${createdAt} OR (created_at = ${createdAt} AND id < ${parameter(query.after.id)}))`);
    }
    const sql = `SELECT * FROM scans ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY created_at DESC, id DESC LIMIT ${parameter(query.limit)}`;
    const { rows } = await this.#pool.query<RawRow>(sql, values);
    return rows.map(fromRaw);
  }

  async queued(limit: number): Promise<string[]> {
    const { rows } = await this.#pool.query<{ id: string }>(
      "SELECT id FROM scans WHERE status = 'queued' ORDER BY created_at, id LIMIT $1",
      [limit],
    );
    return rows.map((row) => row.id);
  }

  async count(status: ScanStatus): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>(
      "SELECT COUNT(*)::integer AS count FROM scans WHERE status = $1",
      [status],
    );
    return rows[0]?.count ?? 0;
  }

  async claim(id: string, maxAttempts: number, actor: string): Promise<Claim> {
    return this.#transaction(async (client): Promise<Claim> => {
      // The row lock makes concurrent claims of one scan take their turns (each sees the other's attempt).
      const found = await client.query<RawRow>("SELECT * FROM scans WHERE id = $1 FOR UPDATE", [id]);
      const raw = found.rows[0];
      if (!raw || raw.status === "done" || raw.status === "failed") return { kind: "finished" };
      if (raw.attempts >= maxAttempts) {
        const reason = `gave up after ${raw.attempts} interrupted attempt${raw.attempts === 1 ? "" : "s"}`;
        const failed = await this.#finishFailed(client, id, reason, actor);
        return { kind: "exhausted", row: failed ?? fromRaw(raw) };
      }
      const { rows } = await client.query<RawRow>(
        "UPDATE scans SET status = 'running', started_at = now(), attempts = attempts + 1 WHERE id = $1 RETURNING *",
        [id],
      );
      await this.#event(client, id, "started", actor);
      return { kind: "run", row: fromRaw(rows[0] as RawRow) };
    });
  }

  async complete(id: string, report: Report, exitCode: number, actor: string): Promise<boolean> {
    return this.#transaction(async (client) => {
      const changed = await client.query(
        "UPDATE scans SET status = 'done', finished_at = now(), exit_code = $2, error = NULL WHERE id = $1 AND status IN ('queued', 'running')",
        [id, exitCode],
      );
      if (changed.rowCount !== 1) return false;
      await client.query("INSERT INTO reports (scan_id, report) VALUES ($1, $2)", [id, JSON.stringify(report)]);
      await this.#event(client, id, "completed", actor);
      return true;
    });
  }

  async fail(id: string, reason: string, actor: string): Promise<boolean> {
    return this.#transaction(async (client) => (await this.#finishFailed(client, id, reason, actor)) !== undefined);
  }

  /** The failed row, or undefined when the scan was already finished (or gone). */
  async #finishFailed(client: pg.PoolClient, id: string, reason: string, actor: string): Promise<ScanRow | undefined> {
    const { rows } = await client.query<RawRow>(
      "UPDATE scans SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 AND status IN ('queued', 'running') RETURNING *",
      [id, reason],
    );
    if (!rows[0]) return undefined;
    await this.#event(client, id, "failed", actor);
    return fromRaw(rows[0]);
  }

  async requeue(id: string): Promise<void> {
    await this.#pool.query("UPDATE scans SET status = 'queued' WHERE id = $1 AND status = 'running'", [id]);
  }

  async recoverInterrupted(maxAttempts: number, actor: string): Promise<{ requeued: number; failed: number }> {
    return this.#transaction(async (client) => {
      const failed =
        (
          await client.query(
            "UPDATE scans SET status = 'failed', finished_at = now(), error = 'interrupted ' || attempts || ' times (the service stopped during the scan)' WHERE status = 'running' AND attempts >= $1",
            [maxAttempts],
          )
        ).rowCount ?? 0;
      const requeued =
        (await client.query("UPDATE scans SET status = 'queued' WHERE status = 'running'")).rowCount ?? 0;
      if (failed + requeued > 0)
        await this.#event(client, "*", `recovered requeued=${requeued} failed=${failed}`, actor);
      return { requeued, failed };
    });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.#pool.query("DELETE FROM scans WHERE id = $1", [id])).rowCount === 1;
  }

  async completions(): Promise<Completion[]> {
    const { rows } = await this.#pool.query<{ scan_id: string; actor: string }>(
      "SELECT scan_id, actor FROM scan_events WHERE event = 'completed'",
    );
    return rows.map((row) => ({ scanId: row.scan_id, actor: row.actor }));
  }

  async reserveForEmbeddedService(): Promise<void> {
    if (this.#serviceClient) return;
    // A connection of its own (not the pool's): the lock lasts as long as it does, and a process
    // that dies loses its connection, so its lock goes with it.
    const client = new pg.Client({
      connectionString: this.#url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: "modelaudit-service-lock",
    });
    client.on("error", () => undefined);
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      EMBEDDED_SERVICE_LOCK.toString(),
    ]);
    if (!rows[0]?.locked) {
      await client.end();
      throw new Error(
        "another modelaudit service without REDIS_URL is using this database; run one such service per database, or scale out with REDIS_URL and workers",
      );
    }
    this.#serviceClient = client;
  }

  async close(): Promise<void> {
    const serviceClient = this.#serviceClient;
    this.#serviceClient = undefined;
    await serviceClient?.end().catch(() => undefined);
    await this.#pool.end();
  }

  async #event(client: pg.PoolClient, id: string, event: string, actor: string): Promise<void> {
    await client.query("INSERT INTO scan_events (scan_id, event, actor, at) VALUES ($1, $2, $3, now())", [
      id,
      event,
      actor,
    ]);
  }
}

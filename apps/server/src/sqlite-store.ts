import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import Database from "better-sqlite3";
import type { Claim, Completion, ListQuery, ScanJob, ScanRow, ScanStatus, ScanStore } from "./store.js";

/** Each entry runs once, in order, inside a transaction; the `migrations` table records which ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE scans (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
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
     scan_id TEXT NOT NULL,
     event TEXT NOT NULL,
     actor TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX scan_events_scan ON scan_events (scan_id);`,
];

interface RawRow {
  id: string;
  owner: string;
  status: ScanStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
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
    createdAt: raw.created_at,
    startedAt: raw.started_at,
    finishedAt: raw.finished_at,
    attempts: raw.attempts,
    error: raw.error,
    exitCode: raw.exit_code,
    job: JSON.parse(raw.job) as ScanJob,
  };
}

/**
 * Scans, statuses and reports in one SQLite file (WAL, so readers never wait for the writer and
 * several processes on one machine can share it). Every state change is a single conditional
 * UPDATE, so two processes racing on a scan cannot both finish it.
 */
export class SqliteStore implements ScanStore {
  readonly kind = "sqlite";
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dataDir, "modelaudit.sqlite"));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 10000");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("synchronous = NORMAL");
    this.#migrate();
  }

  #migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const apply = this.db.transaction(() => {
      const row = this.db.prepare("SELECT MAX(version) AS version FROM migrations").get() as { version: number | null };
      for (let version = (row.version ?? 0) + 1; version <= MIGRATIONS.length; version++) {
        this.db.exec(MIGRATIONS[version - 1] as string);
        this.db.prepare("INSERT INTO migrations (version, applied_at) VALUES (?, ?)").run(version, now());
      }
    });
    // IMMEDIATE: two processes starting on a fresh file must not both run the first migration.
    apply.immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Statements compiled once per store (they are reused on every request). */
  #sql(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  async insert(id: string, owner: string, job: ScanJob): Promise<ScanRow> {
    const createdAt = now();
    this.#sql("INSERT INTO scans (id, owner, status, created_at, job) VALUES (?, ?, 'queued', ?, ?)").run(
      id,
      owner,
      createdAt,
      JSON.stringify(job),
    );
    return this.#row(id) as ScanRow;
  }

  async get(id: string): Promise<ScanRow | undefined> {
    return this.#row(id);
  }

  #row(id: string): ScanRow | undefined {
    const raw = this.#sql("SELECT * FROM scans WHERE id = ?").get(id) as RawRow | undefined;
    return raw ? fromRaw(raw) : undefined;
  }

  async report(id: string): Promise<Report | undefined> {
    const raw = this.#sql("SELECT report FROM reports WHERE scan_id = ?").get(id) as { report: string } | undefined;
    return raw ? (JSON.parse(raw.report) as Report) : undefined;
  }

  async list(query: ListQuery): Promise<ScanRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.owner !== undefined) {
      where.push("owner = ?");
      values.push(query.owner);
    }
    if (query.status !== undefined) {
      where.push("status = ?");
      values.push(query.status);
    }
    if (query.after) {
      where.push("(created_at < ? OR (created_at = ? AND id < ?))");
      values.push(query.after.createdAt, query.after.createdAt, query.after.id);
    }
    const sql = `SELECT * FROM scans ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (this.#sql(sql).all(...values, query.limit) as RawRow[]).map(fromRaw);
  }

  /** The oldest queued scans, for the in-process dispatcher. */
  async queued(limit: number): Promise<string[]> {
    return (
      this.#sql("SELECT id FROM scans WHERE status = 'queued' ORDER BY created_at, id LIMIT ?").all(limit) as {
        id: string;
      }[]
    ).map((row) => row.id);
  }

  async count(status: ScanStatus): Promise<number> {
    return (this.#sql("SELECT COUNT(*) AS count FROM scans WHERE status = ?").get(status) as { count: number }).count;
  }

  /**
   * Marks a scan running and counts the attempt. A scan already done or failed (another worker
   * finished it, or it was deleted) is not run again; one that has used `maxAttempts` is failed.
   */
  async claim(id: string, maxAttempts: number, actor: string): Promise<Claim> {
    return this.db
      .transaction((): Claim => {
        const row = this.#row(id);
        if (!row || row.status === "done" || row.status === "failed") return { kind: "finished" };
        if (row.attempts >= maxAttempts) {
          const reason = `gave up after ${row.attempts} interrupted attempt${row.attempts === 1 ? "" : "s"}`;
          this.#finishFailed(id, reason, actor);
          return { kind: "exhausted", row: { ...row, status: "failed", error: reason } };
        }
        this.#sql("UPDATE scans SET status = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?").run(
          now(),
          id,
        );
        this.#event(id, "started", actor);
        return { kind: "run", row: this.#row(id) as ScanRow };
      })
      .immediate();
  }

  /**
   * Records the report and `done` in one transaction, only if the scan is not finished yet: a
   * second completion (a worker that lost its lock but still finished) changes nothing. Returns
   * whether this call recorded the completion.
   */
  async complete(id: string, report: Report, exitCode: number, actor: string): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const changed = this.#sql(
          "UPDATE scans SET status = 'done', finished_at = ?, exit_code = ?, error = NULL WHERE id = ? AND status IN ('queued', 'running')",
        ).run(now(), exitCode, id).changes;
        if (changed !== 1) return false;
        this.#sql("INSERT INTO reports (scan_id, report) VALUES (?, ?)").run(id, JSON.stringify(report));
        this.#event(id, "completed", actor);
        return true;
      })
      .immediate();
  }

  /** Fails a scan that is not finished yet, with a reason safe to show to its owner. */
  async fail(id: string, reason: string, actor: string): Promise<boolean> {
    return this.db.transaction(() => this.#finishFailed(id, reason, actor)).immediate();
  }

  #finishFailed(id: string, reason: string, actor: string): boolean {
    const changed = this.#sql(
      "UPDATE scans SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status IN ('queued', 'running')",
    ).run(now(), reason, id).changes;
    if (changed === 1) this.#event(id, "failed", actor);
    return changed === 1;
  }

  /** Puts a running scan back in the queue (its process died or it is being retried). */
  async requeue(id: string): Promise<void> {
    this.#sql("UPDATE scans SET status = 'queued' WHERE id = ? AND status = 'running'").run(id);
  }

  /**
   * After a restart of the single-process service: every scan left `running` was interrupted.
   * Those with attempts left go back to the queue; the others fail with a reason. Never silent.
   */
  async recoverInterrupted(maxAttempts: number, actor: string): Promise<{ requeued: number; failed: number }> {
    return this.db
      .transaction(() => {
        const failed = this.#sql(
          "UPDATE scans SET status = 'failed', finished_at = ?, error = 'interrupted ' || attempts || ' times (the service stopped during the scan)' WHERE status = 'running' AND attempts >= ?",
        ).run(now(), maxAttempts).changes;
        const requeued = this.#sql("UPDATE scans SET status = 'queued' WHERE status = 'running'").run().changes;
        if (failed + requeued > 0) this.#event("*", `recovered requeued=${requeued} failed=${failed}`, actor);
        return { requeued, failed };
      })
      .immediate();
  }

  async delete(id: string): Promise<boolean> {
    return this.#sql("DELETE FROM scans WHERE id = ?").run(id).changes === 1;
  }

  async completions(): Promise<Completion[]> {
    const rows = this.#sql("SELECT scan_id, actor FROM scan_events WHERE event = 'completed'").all() as {
      scan_id: string;
      actor: string;
    }[];
    return rows.map((row) => ({ scanId: row.scan_id, actor: row.actor }));
  }

  #event(id: string, event: string, actor: string): void {
    this.#sql("INSERT INTO scan_events (scan_id, event, actor, at) VALUES (?, ?, ?, ?)").run(id, event, actor, now());
  }
}

function now(): string {
  return new Date().toISOString();
}

import type { ScanLevel, Severity } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";

export type ScanStatus = "queued" | "running" | "done" | "failed";
export const SCAN_STATUSES: readonly ScanStatus[] = ["queued", "running", "done", "failed"];

/** What a worker needs to run a scan; stored with the scan so any process can pick it up. */
export interface ScanJob {
  /** `upload`: the files sit in `<blobDir>/<scan id>/` (one model folder); `paths`: absolute paths under an allowed root. */
  kind: "upload" | "paths";
  /** Upload: the uploaded names; paths: the paths as the client gave them. */
  inputs: string[];
  level?: ScanLevel;
  failOn?: Severity;
}

export interface ScanRow {
  id: string;
  owner: string;
  status: ScanStatus;
  /** ISO 8601 UTC with milliseconds (`2026-01-02T03:04:05.678Z`); list cursors compare them. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  error: string | null;
  exitCode: number | null;
  job: ScanJob;
}

export interface ListQuery {
  /** Only this owner's scans; undefined for an admin (every owner). */
  owner?: string;
  status?: ScanStatus;
  limit: number;
  /** The `createdAt|id` of the last row of the previous page. */
  after?: { createdAt: string; id: string };
}

/** What claiming a scan found: run it, or it is already finished (or gone), or it used up its attempts. */
export type Claim = { kind: "run"; row: ScanRow } | { kind: "finished" } | { kind: "exhausted"; row: ScanRow };

/** One recorded completion (tests check there is never more than one per scan). */
export interface Completion {
  scanId: string;
  actor: string;
}

/**
 * Scans, statuses and reports. Two implementations with the same semantics: SQLite (the embedded
 * default, one machine) and PostgreSQL (`DATABASE_URL`, several machines). Every state change is
 * conditional on the current status inside a transaction, so processes racing on a scan cannot
 * both finish it, and a report is written in the same transaction as its `done`.
 */
export interface ScanStore {
  readonly kind: "sqlite" | "postgres";
  insert(id: string, owner: string, job: ScanJob): Promise<ScanRow>;
  get(id: string): Promise<ScanRow | undefined>;
  report(id: string): Promise<Report | undefined>;
  /** Newest first (`createdAt`, then `id`, descending). */
  list(query: ListQuery): Promise<ScanRow[]>;
  /** The oldest queued scans, for a dispatcher. */
  queued(limit: number): Promise<string[]>;
  count(status: ScanStatus): Promise<number>;
  /**
   * Marks a scan running and counts the attempt. A scan already done or failed (another worker
   * finished it, or it was deleted) is not run again; one that has used `maxAttempts` is failed.
   */
  claim(id: string, maxAttempts: number, actor: string): Promise<Claim>;
  /**
   * Records the report and `done` in one transaction, only if the scan is not finished yet: a
   * second completion (a worker that lost its lock but still finished) changes nothing. Resolves
   * to whether this call recorded the completion.
   */
  complete(id: string, report: Report, exitCode: number, actor: string): Promise<boolean>;
  /** Fails a scan that is not finished yet, with a reason safe to show to its owner. */
  fail(id: string, reason: string, actor: string): Promise<boolean>;
  /** Puts a running scan back in the queue (its process is stopping or it is being retried). */
  requeue(id: string): Promise<void>;
  /**
   * After a restart of the single-process service: every scan left `running` was interrupted.
   * Those with attempts left go back to the queue; the others fail with a reason. Never silent.
   */
  recoverInterrupted(maxAttempts: number, actor: string): Promise<{ requeued: number; failed: number }>;
  delete(id: string): Promise<boolean>;
  completions(): Promise<Completion[]>;
  /**
   * The embedded service runs scans itself and re-queues every `running` scan at start, so only
   * one may use a shared store at a time. Rejects when another one holds it. PostgreSQL only (a
   * session advisory lock, released when that process's connection ends); a SQLite file belongs
   * to one service by its data directory.
   */
  reserveForEmbeddedService?(): Promise<void>;
  close(): Promise<void>;
}

/** How many times each scan was recorded as completed. */
export function completionCounts(completions: readonly Completion[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { scanId } of completions) counts.set(scanId, (counts.get(scanId) ?? 0) + 1);
  return counts;
}

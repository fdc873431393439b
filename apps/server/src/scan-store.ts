import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Severity } from "@modelaudit/core";
import type { ExitCode, Report } from "@modelaudit/core/engine";

/** One finished scan as stored in `<dataDir>/scans/<id>.json` and returned by `GET /scans/:id`. */
export interface ScanRecord {
  id: string;
  status: "done";
  /** ISO 8601, UTC. */
  createdAt: string;
  exitCode: ExitCode;
  /** The versioned JSON report (canonical form), with uploaded names as file paths. */
  report: Report;
}

/** A line of `GET /scans`. */
export interface ScanListItem {
  id: string;
  createdAt: string;
  exitCode: ExitCode;
  /** Uploaded file names. */
  files: string[];
  /** Findings by severity. */
  findings: Record<Severity, number>;
}

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECORD_FILE = /^([0-9a-f-]{36})\.json$/;

/** Scan ids are random UUIDs; anything else is refused before it reaches the file system. */
export function isScanId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function newScanId(): string {
  return randomUUID();
}

/** Scan results as one JSON file each, so they survive restarts and need no database. */
export class ScanStore {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = path.join(dataDir, "scans");
  }

  async init(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
  }

  /** Writes to a temporary name first, so a crash never leaves a half-written record behind. */
  async save(record: ScanRecord): Promise<void> {
    if (!isScanId(record.id)) throw new Error(`refusing to store a scan under id ${JSON.stringify(record.id)}`);
    const file = this.#fileFor(record.id);
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(record)}\n`, { mode: 0o600, flag: "wx" });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** The stored record, or undefined for an unknown or malformed id. */
  async get(id: string): Promise<ScanRecord | undefined> {
    if (!isScanId(id)) return undefined;
    let text: string;
    try {
      text = await readFile(this.#fileFor(id), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    return JSON.parse(text) as ScanRecord;
  }

  /** The newest `limit` scans, newest first (by the time their record was written). */
  async list(limit: number): Promise<ScanListItem[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const candidates: { id: string; modified: number }[] = [];
    for (const name of names) {
      const id = RECORD_FILE.exec(name)?.[1];
      if (!id || !isScanId(id)) continue;
      try {
        candidates.push({ id, modified: (await stat(this.#fileFor(id))).mtimeMs });
      } catch {
        // Removed while listing: not ours to report.
      }
    }
    candidates.sort((a, b) => b.modified - a.modified || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const items: ScanListItem[] = [];
    for (const candidate of candidates.slice(0, limit)) {
      const record = await this.get(candidate.id).catch(() => undefined);
      if (!record) continue;
      items.push({
        id: record.id,
        createdAt: record.createdAt,
        exitCode: record.exitCode,
        files: record.report.files.map((file) => file.path),
        findings: { ...record.report.summary.findings },
      });
    }
    // The record's own timestamp decides among files written in the same millisecond.
    return items.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  #fileFor(id: string): string {
    return path.join(this.directory, `${id}.json`);
  }
}

import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Database from "better-sqlite3";
import type { FeedEntry } from "./feed.js";

/** A feed's opinion of one digest, as stored. */
export interface KnownHash {
  verdict: "malicious" | "benign";
  source: string;
}

export interface HashDatabaseStats {
  total: number;
  malicious: number;
  benign: number;
  /** Entries per source, largest first. */
  sources: { source: string; malicious: number; benign: number }[];
}

/** better-sqlite3, loaded when a database is first opened (a scan without one never loads the native module). */
function sqlite(): typeof Database {
  return createRequire(import.meta.url)("better-sqlite3") as typeof Database;
}

/** Bumped when the table layout changes; an unknown version is refused rather than misread. */
const SCHEMA_VERSION = 1;

/**
 * The known-hash database: a SQLite file of SHA-256 digests that feeds call malicious or benign, each
 * with its source. A digest may be listed by several sources (each row is one source's opinion).
 * Scans open it read-only; `modelaudit hashdb import` writes it.
 */
export class HashDatabase {
  private readonly lookupStatement: Database.Statement<[string], KnownHash>;

  private constructor(private readonly database: Database.Database) {
    this.lookupStatement = database.prepare<[string], KnownHash>(
      "SELECT verdict, source FROM known_hashes WHERE sha256 = ? ORDER BY verdict DESC, source",
    );
  }

  /** Opens an existing database for lookups; throws when it is missing or not ours. */
  static openReadOnly(file: string): HashDatabase {
    const Sqlite = sqlite();
    const database = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      checkSchema(database, file);
    } catch (error) {
      database.close();
      throw error;
    }
    return new HashDatabase(database);
  }

  /** Opens the database for writing, creating the file (and its folder) and its tables when needed. */
  static openWritable(file: string): HashDatabase {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const Sqlite = sqlite();
    const database = new Sqlite(file);
    try {
      database.pragma("journal_mode = WAL");
      database.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS known_hashes (
          sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
          verdict TEXT NOT NULL CHECK (verdict IN ('malicious', 'benign')),
          source TEXT NOT NULL,
          PRIMARY KEY (sha256, source)
        ) WITHOUT ROWID;
      `);
      database
        .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)")
        .run(String(SCHEMA_VERSION));
      checkSchema(database, file);
    } catch (error) {
      database.close();
      throw error;
    }
    return new HashDatabase(database);
  }

  /** Every feed's opinion of a digest (lower-case hex), malicious first. */
  lookup(sha256: string): KnownHash[] {
    return this.lookupStatement.all(sha256);
  }

  /**
   * Adds a feed's entries in one transaction: all or nothing. A source's later opinion of a digest
   * replaces its earlier one. Returns how many rows were added or changed.
   */
  import(entries: readonly FeedEntry[]): number {
    const upsert = this.database.prepare(
      "INSERT INTO known_hashes (sha256, verdict, source) VALUES (?, ?, ?) " +
        "ON CONFLICT (sha256, source) DO UPDATE SET verdict = excluded.verdict WHERE verdict <> excluded.verdict",
    );
    const run = this.database.transaction((rows: readonly FeedEntry[]) => {
      let changed = 0;
      for (const row of rows) changed += upsert.run(row.sha256, row.verdict, row.source).changes;
      return changed;
    });
    return run(entries);
  }

  stats(): HashDatabaseStats {
    const sources = this.database
      .prepare<[], { source: string; malicious: number; benign: number }>(
        "SELECT source, SUM(verdict = 'malicious') AS malicious, SUM(verdict = 'benign') AS benign " +
          "FROM known_hashes GROUP BY source ORDER BY COUNT(*) DESC, source",
      )
      .all();
    const malicious = sources.reduce((sum, row) => sum + row.malicious, 0);
    const benign = sources.reduce((sum, row) => sum + row.benign, 0);
    return { total: malicious + benign, malicious, benign, sources };
  }

  close(): void {
    this.database.close();
  }
}

function checkSchema(database: Database.Database, file: string): void {
  let version: string | undefined;
  try {
    version = database
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .get()?.value;
  } catch {
    version = undefined;
  }
  if (version !== String(SCHEMA_VERSION)) {
    throw new Error(
      `${file} is not a modelaudit known-hash database (schema version ${version ?? "missing"}, expected ${SCHEMA_VERSION})`,
    );
  }
}

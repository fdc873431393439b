import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Database from "better-sqlite3";
import { compareParts, parseSsdeep, ssdeepRuns } from "../fuzzy/ssdeep.js";
import type { FeedEntry } from "./feed.js";

/** A feed's opinion of one digest, as stored. */
export interface KnownHash {
  verdict: "malicious" | "benign";
  source: string;
}

/** A known-malicious file whose ssdeep digest is like the one looked up. */
export interface NearCopy {
  sha256: string;
  source: string;
  ssdeep: string;
  /** ssdeep similarity, 1-100. */
  score: number;
}

export interface HashDatabaseStats {
  total: number;
  malicious: number;
  benign: number;
  /** Entries that carry an ssdeep digest. */
  fuzzy: number;
  /** Entries per source, largest first. */
  sources: { source: string; malicious: number; benign: number }[];
}

/** better-sqlite3, loaded when a database is first opened (a scan without one never loads the native module). */
function sqlite(): typeof Database {
  return createRequire(import.meta.url)("better-sqlite3") as typeof Database;
}

/**
 * Bumped when the table layout changes; an unknown version is refused rather than misread. Version 2
 * added the ssdeep digests (`fuzzy_hashes`, `fuzzy_runs`); a version 1 file is still read (without
 * near-copy matching) and is migrated when it is next opened for writing.
 */
const SCHEMA_VERSION = 2;
const READABLE_VERSIONS = ["1", "2"];
/** Candidates compared per lookup at most: a digest made of very common runs must not cost a table scan. */
const MAX_FUZZY_CANDIDATES = 2000;

const KNOWN_HASHES_TABLE = `
  CREATE TABLE IF NOT EXISTS known_hashes (
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    verdict TEXT NOT NULL CHECK (verdict IN ('malicious', 'benign')),
    source TEXT NOT NULL,
    PRIMARY KEY (sha256, source)
  ) WITHOUT ROWID;`;
// One ssdeep digest per known file and source, and its 7-character runs (each keyed with the block
// size it was hashed at): two digests score above 0 only if they share a run, so the runs find
// every candidate without comparing against the whole table.
const FUZZY_TABLES = `
  CREATE TABLE IF NOT EXISTS fuzzy_hashes (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    ssdeep TEXT NOT NULL,
    UNIQUE (sha256, source)
  );
  CREATE TABLE IF NOT EXISTS fuzzy_runs (
    run TEXT NOT NULL,
    entry INTEGER NOT NULL REFERENCES fuzzy_hashes (id) ON DELETE CASCADE,
    PRIMARY KEY (run, entry)
  ) WITHOUT ROWID;`;

/**
 * The known-hash database: a SQLite file of SHA-256 digests that feeds call malicious or benign, each
 * with its source. A digest may be listed by several sources (each row is one source's opinion).
 * Scans open it read-only; `modelaudit hashdb import` writes it.
 */
export class HashDatabase {
  private readonly lookupStatement: Database.Statement<[string], KnownHash>;
  private readonly nearStatement: Database.Statement<[string, number], Omit<NearCopy, "score">> | undefined;
  private fuzzyPresent: boolean | undefined;

  private constructor(private readonly database: Database.Database) {
    this.lookupStatement = database.prepare<[string], KnownHash>(
      "SELECT verdict, source FROM known_hashes WHERE sha256 = ? ORDER BY verdict DESC, source",
    );
    // A version 1 file has no fuzzy tables: lookups work, near-copy matching does not.
    this.nearStatement = hasFuzzyTables(database)
      ? database.prepare<[string, number], Omit<NearCopy, "score">>(
          "SELECT DISTINCT f.sha256, f.source, f.ssdeep FROM fuzzy_runs r " +
            "JOIN fuzzy_hashes f ON f.id = r.entry " +
            "JOIN known_hashes k ON k.sha256 = f.sha256 AND k.source = f.source AND k.verdict = 'malicious' " +
            "WHERE r.run IN (SELECT value FROM json_each(?)) ORDER BY f.id LIMIT ?",
        )
      : undefined;
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
      database.pragma("foreign_keys = ON");
      database.transaction(() => {
        database.exec(
          `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); ${KNOWN_HASHES_TABLE}`,
        );
        database
          .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)")
          .run(String(SCHEMA_VERSION));
        checkSchema(database, file);
        // Migration 1 -> 2: the fuzzy tables (existing rows keep their meaning).
        database.exec(FUZZY_TABLES);
        database.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
      })();
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

  /** Whether any entry carries an ssdeep digest (near-copy matching has something to compare with). */
  hasFuzzyDigests(): boolean {
    this.fuzzyPresent ??=
      this.nearStatement !== undefined &&
      this.database.prepare("SELECT 1 FROM fuzzy_hashes LIMIT 1").get() !== undefined;
    return this.fuzzyPresent;
  }

  /**
   * Known-malicious files whose ssdeep digest scores at least `minScore` against `digest`, best
   * first. Empty when the database holds no fuzzy digests (or is a version 1 file).
   */
  nearCopies(digest: string, minScore: number): NearCopy[] {
    const parts = parseSsdeep(digest);
    if (!this.nearStatement || !parts) return [];
    const runs = ssdeepRuns(parts).map(({ blockSize, run }) => `${blockSize}:${run}`);
    if (runs.length === 0) return [];
    const matches: NearCopy[] = [];
    for (const candidate of this.nearStatement.all(JSON.stringify(runs), MAX_FUZZY_CANDIDATES)) {
      const known = parseSsdeep(candidate.ssdeep);
      const score = known ? compareParts(parts, known) : 0;
      if (score >= minScore && score > 0) matches.push({ ...candidate, score });
    }
    return matches.sort((left, right) => right.score - left.score || left.source.localeCompare(right.source));
  }

  /**
   * Adds a feed's entries in one transaction: all or nothing. A source's later opinion of a digest
   * replaces its earlier one, and so does its later ssdeep digest. Returns how many rows were added
   * or changed.
   */
  import(entries: readonly FeedEntry[]): number {
    const upsert = this.database.prepare(
      "INSERT INTO known_hashes (sha256, verdict, source) VALUES (?, ?, ?) " +
        "ON CONFLICT (sha256, source) DO UPDATE SET verdict = excluded.verdict WHERE verdict <> excluded.verdict",
    );
    const currentFuzzy = this.database.prepare<[string, string], { id: number; ssdeep: string }>(
      "SELECT id, ssdeep FROM fuzzy_hashes WHERE sha256 = ? AND source = ?",
    );
    const dropFuzzy = this.database.prepare("DELETE FROM fuzzy_hashes WHERE id = ?");
    const dropRuns = this.database.prepare("DELETE FROM fuzzy_runs WHERE entry = ?");
    const addFuzzy = this.database.prepare("INSERT INTO fuzzy_hashes (sha256, source, ssdeep) VALUES (?, ?, ?)");
    const addRun = this.database.prepare("INSERT OR IGNORE INTO fuzzy_runs (run, entry) VALUES (?, ?)");
    const run = this.database.transaction((rows: readonly FeedEntry[]) => {
      let changed = 0;
      for (const row of rows) {
        let rowChanged = upsert.run(row.sha256, row.verdict, row.source).changes > 0;
        const parts = row.ssdeep === undefined ? null : parseSsdeep(row.ssdeep);
        const current = currentFuzzy.get(row.sha256, row.source);
        if (parts && current?.ssdeep !== row.ssdeep) {
          if (current) {
            dropRuns.run(current.id);
            dropFuzzy.run(current.id);
          }
          const entry = Number(addFuzzy.run(row.sha256, row.source, row.ssdeep).lastInsertRowid);
          for (const { blockSize, run: piece } of ssdeepRuns(parts)) addRun.run(`${blockSize}:${piece}`, entry);
          rowChanged = true;
        }
        if (rowChanged) changed++;
      }
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
    const fuzzy = hasFuzzyTables(this.database)
      ? (this.database.prepare<[], { count: number }>("SELECT COUNT(*) AS count FROM fuzzy_hashes").get()?.count ?? 0)
      : 0;
    return { total: malicious + benign, malicious, benign, fuzzy, sources };
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
  if (version === undefined || !READABLE_VERSIONS.includes(version)) {
    throw new Error(
      `${file} is not a modelaudit known-hash database (schema version ${version ?? "missing"}, expected ${READABLE_VERSIONS.join(" or ")})`,
    );
  }
}

function hasFuzzyTables(database: Database.Database): boolean {
  return (
    database
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'fuzzy_runs'")
      .get() !== undefined
  );
}

import { HashDatabase } from "./hash-database.js";

// One connection per database file and thread, kept for the process: every artifact of a scan looks
// up in the same file, and opening SQLite per file would cost more than the lookups.
const opened = new Map<string, HashDatabase | Error>();

/** The known-hash database at `file`, opened read-only once; the error when it cannot be opened. */
export function knownHashDatabase(file: string): HashDatabase | Error {
  let database = opened.get(file);
  if (database === undefined) {
    try {
      database = HashDatabase.openReadOnly(file);
    } catch (error) {
      database = error instanceof Error ? error : new Error(String(error));
    }
    opened.set(file, database);
  }
  return database;
}

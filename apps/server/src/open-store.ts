import { PostgresStore } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { ScanStore } from "./store.js";

/** Where the store lives: PostgreSQL when a database URL is given, else `<dataDir>/modelaudit.sqlite`. */
export interface StoreLocation {
  dataDir: string;
  /** `postgres://` or `postgresql://` URL (`DATABASE_URL`); several machines can share it. */
  databaseUrl?: string | undefined;
}

export async function openStore(location: StoreLocation): Promise<ScanStore> {
  if (!location.databaseUrl) return new SqliteStore(location.dataDir);
  checkDatabaseUrl(location.databaseUrl);
  return PostgresStore.open(location.databaseUrl);
}

/** Refuses anything but a PostgreSQL URL up front (the message never repeats the URL: it may hold a password). */
export function checkDatabaseUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error("DATABASE_URL is not a valid URL");
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
  }
}

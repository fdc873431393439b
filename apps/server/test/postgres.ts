import { randomBytes } from "node:crypto";
import pg from "pg";
import { onCleanup } from "./helpers.js";

/**
 * The PostgreSQL the store tests run against: a superuser URL on loopback (`.ci/run` starts a
 * throwaway cluster and sets it). Locally without it those tests skip, saying so; in CI they must run.
 */
export const TEST_DATABASE_URL = process.env.MODELAUDIT_TEST_DATABASE_URL || undefined;

if (!TEST_DATABASE_URL && process.env.CI) {
  throw new Error("CI is set but MODELAUDIT_TEST_DATABASE_URL is unset: .ci/run must start PostgreSQL");
}
if (!TEST_DATABASE_URL) {
  console.warn(
    "PostgreSQL store tests skipped: set MODELAUDIT_TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/postgres to run them",
  );
}

/** A new, empty database on the test server (dropped after the test); its URL. */
export async function freshDatabase(): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error("MODELAUDIT_TEST_DATABASE_URL is unset");
  const name = `modelaudit_test_${randomBytes(6).toString("hex")}`;
  await administer(`CREATE DATABASE ${name}`);
  // FORCE: a killed worker's connection may linger for a moment.
  onCleanup(() => administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function administer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One query on a database (tests look at what a store wrote). */
export async function queryDatabase<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

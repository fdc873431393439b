import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ExitCode } from "@modelaudit/core/engine";
import { configuredHashDb, hashDbPath } from "./hashdb-path.js";
import type { ResolvedIo } from "./io.js";
import { importSupplyChain, SUPPLY_CHAIN_PLUGIN } from "./supply-chain-module.js";
import { UsageError } from "./usage-error.js";

/** What the CLI uses of @modelaudit/detector-supply-chain, which it loads by name like any plugin. */
interface SupplyChainModule {
  parseFeed(text: string, name?: string): unknown[];
  MAX_FEED_BYTES: number;
  HashDatabase: {
    openWritable(file: string): KnownHashDatabase;
    openReadOnly(file: string): KnownHashDatabase;
  };
}

interface KnownHashDatabase {
  import(entries: readonly unknown[]): number;
  stats(): {
    total: number;
    malicious: number;
    benign: number;
    /** Entries with an ssdeep digest (absent from plugins that predate near-copy matching). */
    fuzzy?: number;
    sources: { source: string; malicious: number; benign: number }[];
  };
  close(): void;
}

export interface HashDbFlags {
  hashdb?: string;
  config?: string;
  format?: "text" | "json";
}

async function loadSupplyChain(io: ResolvedIo): Promise<SupplyChainModule> {
  try {
    return await importSupplyChain<SupplyChainModule>(io);
  } catch (error) {
    throw new UsageError(`the known-hash database needs ${SUPPLY_CHAIN_PLUGIN}: ${(error as Error).message}`);
  }
}

function databaseFile(flags: HashDbFlags, io: ResolvedIo): string {
  return hashDbPath({
    flag: flags.hashdb,
    env: io.env,
    cwd: io.cwd,
    configured: configuredHashDb(io.cwd, flags.config),
  }).file;
}

/** `modelaudit hashdb import <feed...>`: adds feeds (CSV `sha256,verdict,source[,ssdeep]` or JSON) to the database. */
export async function hashDbImportCommand(feeds: string[], flags: HashDbFlags, io: ResolvedIo): Promise<ExitCode> {
  const module = await loadSupplyChain(io);
  const file = databaseFile(flags, io);
  // Every feed is read and checked before the database is touched: a bad row imports nothing.
  const batches: { feed: string; entries: unknown[] }[] = [];
  for (const feed of feeds) {
    let text: string;
    try {
      const bytes = await readFile(path.resolve(io.cwd, feed));
      if (bytes.length > module.MAX_FEED_BYTES) throw new Error(`larger than ${module.MAX_FEED_BYTES} bytes`);
      text = bytes.toString("utf8");
    } catch (error) {
      throw new UsageError(`cannot read feed ${feed}: ${(error as Error).message}`);
    }
    try {
      batches.push({ feed, entries: module.parseFeed(text, feed) });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  let database: KnownHashDatabase;
  try {
    database = module.HashDatabase.openWritable(file);
  } catch (error) {
    throw new UsageError(`cannot open the known-hash database ${file}: ${(error as Error).message}`);
  }
  try {
    for (const { feed, entries } of batches) {
      const changed = database.import(entries);
      io.stderr.write(`${feed}: ${entries.length} entries, ${changed} added or changed\n`);
    }
    const stats = database.stats();
    io.stderr.write(
      `${file}: ${stats.total} entries (${stats.malicious} malicious, ${stats.benign} benign; ${stats.fuzzy ?? 0} with an ssdeep digest)\n`,
    );
  } finally {
    database.close();
  }
  return 0;
}

/** `modelaudit hashdb stats`: entries by verdict and by source. */
export async function hashDbStatsCommand(flags: HashDbFlags, io: ResolvedIo): Promise<ExitCode> {
  const module = await loadSupplyChain(io);
  const file = databaseFile(flags, io);
  let database: KnownHashDatabase;
  try {
    database = module.HashDatabase.openReadOnly(file);
  } catch (error) {
    throw new UsageError(`cannot open the known-hash database ${file}: ${(error as Error).message}`);
  }
  try {
    const stats = database.stats();
    if (flags.format === "json") {
      io.stdout.write(`${JSON.stringify({ database: file, ...stats }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `${file}`,
      `${stats.total} entries: ${stats.malicious} malicious, ${stats.benign} benign, from ${stats.sources.length} sources`,
      `${stats.fuzzy ?? 0} with an ssdeep digest (near-copies of them are recognised)`,
      ...stats.sources
        .slice(0, 20)
        .map((source) => `  ${source.malicious} malicious, ${source.benign} benign  ${source.source}`),
    ];
    if (stats.sources.length > 20)
      lines.push(`  … ${stats.sources.length - 20} more sources (--format json lists all)`);
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    database.close();
  }
}

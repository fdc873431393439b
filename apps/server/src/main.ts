import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { parseTokens, type TokenSpec } from "./auth.js";
import { buildServer, type ServerOptions } from "./build-server.js";
import { EngineSetupError } from "./load-engine.js";
import { checkDatabaseUrl } from "./open-store.js";
import { configTokens, readServerConfig } from "./server-config.js";
import { SERVER_VERSION } from "./version.js";
import { startWorker } from "./worker.js";

export const SERVE_USAGE = `Usage: modelaudit serve [options]

The scanning service (API /v1, OpenAPI at /v1/openapi.json). Tokens come from MODELAUDIT_TOKENS
("name:token[:admin],..."), --tokens-file or the server config's "tokens"; the service does not
start without one.
With REDIS_URL (or --redis-url) scans go to a queue for \`modelaudit worker\` processes; with
DATABASE_URL (or --database-url) the store is PostgreSQL instead of a SQLite file in --data-dir.

Options:
  --port <n>                 port to listen on (default 8080; 0 picks a free one)
  --host <address>           address to bind (default 127.0.0.1)
  --data-dir <dir>           the SQLite store and uploads (default ./modelaudit-data)
  --database-url <url>       PostgreSQL store shared by several machines (default: DATABASE_URL)
  --blob-dir <dir>           where uploads wait for their scan (default <data-dir>/blobs; shared with workers)
  --tokens-file <file>       API tokens, one name:token[:admin] a line
  --server-config <file>     JSON settings of the service, tokens included (flags and env win over it)
  --allowed-root <dir>       a folder path scans may read (repeatable; default: uploads only)
  -c, --config <file>        JSON config file, as for \`modelaudit scan --config\`
  --max-upload-bytes <n>     largest upload, all files together (default 10 GiB)
  --max-files <n>            most files in one upload (default 100)
  --scan-threads <n>         scans at once (default: CPU count)
  --scan-timeout <seconds>   time budget of one scan (default 600)
  --rate-limit <n>           requests per minute per token (default 600)
  --redis-url <url>          scale out on this Redis (default: REDIS_URL)
  --queue-prefix <name>      Redis key prefix of the queue (default modelaudit)
  -V, --version              print the version
  -h, --help                 print this help
`;

export const WORKER_USAGE = `Usage: modelaudit worker [options]

Runs scans from the Redis queue of a \`modelaudit serve --redis-url\` service, recording results in
the same store. Start as many as you like; a killed worker's scans move to another.

Options:
  --data-dir <dir>           the service's data directory (its SQLite store)
  --database-url <url>       the service's PostgreSQL store (default: DATABASE_URL)
  --blob-dir <dir>           the service's upload folder (default <data-dir>/blobs)
  --redis-url <url>          the queue (default: REDIS_URL)
  --queue-prefix <name>      Redis key prefix, as the service's (default modelaudit)
  --server-config <file>     the service's JSON settings file (its data, blob, Redis and store keys)
  -c, --config <file>        JSON config file, as for \`modelaudit scan --config\`
  --scan-threads <n>         scans at once (default: CPU count)
  --scan-timeout <seconds>   time budget of one scan (default 600)
  --lock-ms <n>              job lock; a dead worker's jobs move on after it (default 30000)
  -h, --help                 print this help
`;

export interface MainIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
  /** Folders plugin names also resolve from (see EngineOptions.pluginDirs); the `modelaudit` command's preset. */
  pluginDirs?: readonly string[];
}

export type MainResult = { exitCode: 0 | 2; close?: () => Promise<void> };

/**
 * `modelaudit serve`: starts the service from command-line arguments and resolves once it listens;
 * exit code 2 (with a message) for bad arguments, missing tokens or a config that does not load.
 */
export async function main(argv: readonly string[], io: MainIo): Promise<MainResult> {
  if (argv[0] === "worker") return workerMain(argv.slice(1), io);
  const env = io.env ?? process.env;
  let options: ServerOptions;
  let port: number;
  let host: string;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        "blob-dir": { type: "string" },
        "tokens-file": { type: "string" },
        "server-config": { type: "string" },
        "allowed-root": { type: "string", multiple: true },
        config: { type: "string", short: "c" },
        "max-upload-bytes": { type: "string" },
        "max-files": { type: "string" },
        "scan-threads": { type: "string" },
        "scan-timeout": { type: "string" },
        "rate-limit": { type: "string" },
        "redis-url": { type: "string" },
        "database-url": { type: "string" },
        "queue-prefix": { type: "string" },
        version: { type: "boolean", short: "V" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(SERVE_USAGE);
      return { exitCode: 0 };
    }
    if (values.version) {
      io.stdout.write(`${SERVER_VERSION}\n`);
      return { exitCode: 0 };
    }
    // Flags win over the environment, which wins over the server config file.
    const file = values["server-config"] ? readServerConfig(values["server-config"]) : {};
    port = values.port !== undefined ? integerOption(values.port, "--port", 0) : (file.port ?? 8080);
    if (port > 65_535) throw new Error("--port must be at most 65535");
    host = values.host ?? file.host ?? "127.0.0.1";
    const tokens: TokenSpec[] = [
      ...parseTokens(env.MODELAUDIT_TOKENS ?? ""),
      ...(values["tokens-file"] ? parseTokens(readFileSync(values["tokens-file"], "utf8")) : []),
      ...configTokens(file),
    ];
    const redisUrl = values["redis-url"] ?? (env.REDIS_URL || file.redisUrl);
    const databaseUrl = values["database-url"] ?? (env.DATABASE_URL || file.databaseUrl);
    if (databaseUrl) checkDatabaseUrl(databaseUrl);
    const count = (flag: keyof typeof values, fromFile: number | undefined) =>
      values[flag] !== undefined ? integerOption(String(values[flag]), `--${flag}`, 1) : fromFile;
    const settings: Partial<ServerOptions> = {
      blobDir: values["blob-dir"] ?? file.blobDir,
      allowedRoots: values["allowed-root"] ?? file.allowedRoots,
      configFile: values.config ?? file.config,
      redisUrl,
      databaseUrl,
      queuePrefix: values["queue-prefix"] ?? file.queuePrefix,
      maxUploadBytes: count("max-upload-bytes", file.maxUploadBytes),
      maxFiles: count("max-files", file.maxFiles),
      scanThreads: count("scan-threads", file.scanThreads),
      scanTimeoutMs: seconds(count("scan-timeout", file.scanTimeoutSeconds)),
      rateLimitPerMinute: count("rate-limit", file.rateLimitPerMinute),
    };
    options = {
      dataDir: path.resolve(values["data-dir"] ?? file.dataDir ?? "modelaudit-data"),
      tokens,
      // Asynchronous writes: a slow reader of stdout must not stall request handling.
      logger: pino({ name: "modelaudit-server" }, pino.destination({ dest: 1, sync: false })),
      ...withoutUnset(settings),
      ...(io.pluginDirs ? { pluginDirs: io.pluginDirs } : {}),
    };
  } catch (error) {
    io.stderr.write(`modelaudit serve: ${(error as Error).message}\n\n${SERVE_USAGE}`);
    return { exitCode: 2 };
  }

  let app: ReturnType<typeof buildServer>;
  try {
    app = buildServer(options);
  } catch (error) {
    io.stderr.write(`modelaudit serve: ${(error as Error).message}\n`);
    return { exitCode: 2 };
  }
  try {
    await app.listen({ port, host });
  } catch (error) {
    const message = error instanceof EngineSetupError ? error.message : (error as Error).message;
    io.stderr.write(`modelaudit serve: ${message}\n`);
    await app.close().catch(() => undefined);
    return { exitCode: 2 };
  }
  const address = app.server.address();
  const where =
    typeof address === "object" && address !== null
      ? `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`
      : String(address);
  const stored = options.databaseUrl ? "store: PostgreSQL" : `data: ${options.dataDir}`;
  io.stdout.write(`modelaudit serve ${SERVER_VERSION} listening on ${where} (${stored})\n`);
  return { exitCode: 0, close: () => app.close() };
}

/** `modelaudit worker`: consumes the Redis queue until stopped. */
export async function workerMain(argv: readonly string[], io: MainIo): Promise<MainResult> {
  const env = io.env ?? process.env;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        "data-dir": { type: "string" },
        "blob-dir": { type: "string" },
        "redis-url": { type: "string" },
        "database-url": { type: "string" },
        "queue-prefix": { type: "string" },
        "server-config": { type: "string" },
        config: { type: "string", short: "c" },
        "scan-threads": { type: "string" },
        "scan-timeout": { type: "string" },
        "lock-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(WORKER_USAGE);
      return { exitCode: 0 };
    }
    const file = values["server-config"] ? readServerConfig(values["server-config"]) : {};
    const redisUrl = values["redis-url"] ?? (env.REDIS_URL || file.redisUrl);
    if (!redisUrl) throw new Error("a worker needs --redis-url or REDIS_URL (or redisUrl in the server config)");
    const databaseUrl = values["database-url"] ?? (env.DATABASE_URL || file.databaseUrl);
    if (databaseUrl) checkDatabaseUrl(databaseUrl);
    const count = (flag: "scan-threads" | "scan-timeout" | "lock-ms", minimum: number, fromFile: number | undefined) =>
      values[flag] !== undefined ? integerOption(values[flag], `--${flag}`, minimum) : fromFile;
    worker = await startWorker({
      dataDir: path.resolve(values["data-dir"] ?? file.dataDir ?? "modelaudit-data"),
      redisUrl,
      ...withoutUnset({
        databaseUrl,
        queuePrefix: values["queue-prefix"] ?? file.queuePrefix,
        blobDir: values["blob-dir"] ?? file.blobDir,
        configFile: values.config ?? file.config,
        threads: count("scan-threads", 1, file.scanThreads),
        scanTimeoutMs: seconds(count("scan-timeout", 1, file.scanTimeoutSeconds)),
        lockDurationMs: count("lock-ms", 1000, file.lockMs),
      }),
      ...(io.pluginDirs ? { pluginDirs: io.pluginDirs } : {}),
    });
  } catch (error) {
    io.stderr.write(`modelaudit worker: ${(error as Error).message}\n`);
    return { exitCode: 2 };
  }
  return { exitCode: 0, close: () => worker.close() };
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

/** The settings given by a flag, the environment or the server config (exactOptionalPropertyTypes: no undefined values). */
function withoutUnset<T extends object>(settings: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined && value !== "")) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function integerOption(value: string, name: string, minimum: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < minimum) {
    throw new Error(`${name} expects an integer of at least ${minimum}, got "${value}"`);
  }
  return parsed;
}

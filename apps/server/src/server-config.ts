import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { TokenSpec } from "./auth.js";
import { printable } from "./printable.js";

/** Largest server config file read: it holds settings and tokens, never data. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const count = z.number().int().min(1);

/**
 * The service's own config file (`--server-config`): the settings of `modelaudit serve` and
 * `modelaudit worker`, API tokens included, so a fleet can share one file. The scan config
 * (plugins, rules, limits) stays in the CLI's config file, named here by `config`. Unknown keys
 * are an error: a misspelt `tokens` must not start a service nobody can reach.
 */
export const serverConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  tokens: z
    .array(z.strictObject({ name: z.string(), token: z.string(), admin: z.boolean().optional() }))
    .max(10_000)
    .optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  dataDir: z.string().min(1).optional(),
  databaseUrl: z.string().min(1).optional(),
  blobDir: z.string().min(1).optional(),
  allowedRoots: z.array(z.string().min(1)).optional(),
  config: z.string().min(1).optional(),
  maxUploadBytes: count.optional(),
  maxFiles: count.optional(),
  scanThreads: count.optional(),
  scanTimeoutSeconds: count.optional(),
  rateLimitPerMinute: count.optional(),
  redisUrl: z.string().min(1).optional(),
  queuePrefix: z.string().min(1).optional(),
  lockMs: z.number().int().min(1000).optional(),
});

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/**
 * Reads and checks a server config file. Relative paths in it (`dataDir`, `blobDir`,
 * `allowedRoots`, `config`) are relative to the file. Errors name the file and the key, never a
 * value (a value may be a token or a database password).
 */
export function readServerConfig(file: string): ServerConfig {
  const where = path.resolve(file);
  const text = readBounded(where);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON`);
  }
  const parsed = serverConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys") {
      const keys = issue.keys.slice(0, 5).map((key) => printable([...issue.path, key].join(".")));
      throw new Error(`${file}: unknown key ${keys.map((key) => `"${key}"`).join(", ")}`);
    }
    throw new Error(`${file}: "${issue?.path.join(".")}": ${issue?.message}`);
  }
  const config = parsed.data;
  const fromFile = (name: string) => path.resolve(path.dirname(where), name);
  return {
    ...config,
    ...(config.dataDir ? { dataDir: fromFile(config.dataDir) } : {}),
    ...(config.blobDir ? { blobDir: fromFile(config.blobDir) } : {}),
    ...(config.config ? { config: fromFile(config.config) } : {}),
    ...(config.allowedRoots ? { allowedRoots: config.allowedRoots.map(fromFile) } : {}),
  };
}

/** The tokens of a server config, in the form the other token sources take. */
export function configTokens(config: ServerConfig): TokenSpec[] {
  return (config.tokens ?? []).map((entry) => ({ name: entry.name, token: entry.token, admin: entry.admin === true }));
}

function readBounded(file: string): string {
  const descriptor = openSync(file, "r");
  try {
    const size = fstatSync(descriptor).size;
    if (size > MAX_CONFIG_BYTES) throw new Error(`${file}: larger than ${MAX_CONFIG_BYTES} bytes`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const got = readSync(descriptor, buffer, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(descriptor);
  }
}

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterEach } from "vitest";
import { buildServer, type ServerOptions } from "../src/server.js";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const EXAMPLES = path.join(REPO_ROOT, "examples");
export const PICKLE_FIXTURES = path.join(REPO_ROOT, "tooling/fixtures/pickle");

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh data directory, removed after the test. */
export async function dataDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-server-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A server on a data directory (a fresh one unless given), closed after the test. */
export async function startServer(
  options: Partial<ServerOptions> = {},
): Promise<{ app: FastifyInstance; dataDir: string }> {
  const dataDir = options.dataDir ?? (await dataDirectory());
  const app = buildServer({ ...options, dataDir });
  cleanups.push(() => app.close());
  await app.ready();
  return { app, dataDir };
}

export interface Part {
  name: string;
  /** Present for file parts. */
  filename?: string;
  content: Buffer | string;
}

/**
 * A multipart/form-data body written byte by byte, so tests control the file name exactly
 * (FormData would escape control characters before the server sees them).
 */
export function multipart(parts: readonly Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = "----modelaudit-test-boundary-7d1f0c";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const type = part.filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, "latin1"));
    chunks.push(typeof part.content === "string" ? Buffer.from(part.content) : part.content);
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** File parts for files on disk, uploaded under their base names. */
export async function fileParts(...files: string[]): Promise<Part[]> {
  return Promise.all(
    files.map(async (file) => ({ name: "file", filename: path.basename(file), content: await readFile(file) })),
  );
}

export async function postScan(app: FastifyInstance, parts: readonly Part[]) {
  const { payload, headers } = multipart(parts);
  return app.inject({ method: "POST", url: "/scans", payload, headers });
}

/** Every file under a directory, as paths relative to it. */
export async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
}

export async function pickleManifest(): Promise<ManifestEntry[]> {
  return JSON.parse(await readFile(path.join(PICKLE_FIXTURES, "manifest.json"), "utf8")) as ManifestEntry[];
}

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterEach, expect } from "vitest";
import { buildServer, type ServerOptions } from "../src/server.js";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const EXAMPLES = path.join(REPO_ROOT, "examples");
export const FIXTURES = path.join(REPO_ROOT, "tooling/fixtures");
export const BENIGN = path.join(EXAMPLES, "benign/scaler-svc-pipeline.joblib");
export const MALICIOUS = path.join(EXAMPLES, "malicious/dotted-name-bypass.pkl");
export const SERVER_DIST = fileURLToPath(new URL("../dist/server.js", import.meta.url));

export const ALICE = "alice-token-0123456789abcdef";
export const BOB = "bob-token-0123456789abcdef";
export const ADMIN = "admin-token-0123456789abcdef";
export const TOKENS = [
  { name: "alice", token: ALICE },
  { name: "bob", token: BOB },
  { name: "ops", token: ADMIN, admin: true },
];
export const TOKENS_ENV = `alice:${ALICE},bob:${BOB},ops:${ADMIN}:admin`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A fresh directory, removed after the test. */
export async function temporaryDirectory(prefix = "modelaudit-server-"): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

export interface Running {
  app: FastifyInstance;
  url: string;
  dataDir: string;
}

/** The real server on a loopback port (a fresh data directory unless given), closed after the test. */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<Running> {
  const dataDir = options.dataDir ?? (await temporaryDirectory());
  const app = buildServer({ tokens: TOKENS, scanThreads: 2, ...options, dataDir });
  cleanups.push(() => app.close());
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return { app, url: `http://127.0.0.1:${address.port}`, dataDir };
}

export interface Part {
  name: string;
  /** Present for file parts. */
  filename?: string;
  content: Buffer | string;
}

export const BOUNDARY = "----modelaudit-test-boundary-7d1f0c";

/**
 * A multipart/form-data body written byte by byte, so tests control the file name exactly
 * (FormData would escape control characters before the server sees them).
 */
export function multipart(parts: readonly Part[]): { body: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const type = part.filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, "utf8"));
    chunks.push(typeof part.content === "string" ? Buffer.from(part.content) : part.content);
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` } };
}

/** File parts for files on disk, uploaded under their base names. */
export async function fileParts(...files: string[]): Promise<Part[]> {
  return Promise.all(
    files.map(async (file) => ({ name: "file", filename: path.basename(file), content: await readFile(file) })),
  );
}

export function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function upload(url: string, token: string, parts: readonly Part[]): Promise<Response> {
  const { body, headers } = multipart(parts);
  return fetch(`${url}/v1/scans`, { method: "POST", body, headers: { ...headers, ...auth(token) } });
}

export async function get(url: string, token: string | undefined, route: string): Promise<Response> {
  return fetch(`${url}${route}`, { headers: token ? auth(token) : {} });
}

export interface ScanBody {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  error: string | null;
  exitCode: number | null;
  inputs: string[];
  report: {
    files: { path: string; outcome: string }[];
    findings: { ruleId: string; severity: string; file: string }[];
    tool: { name: string };
    summary: { exitCode: number };
  } | null;
}

/** Polls a scan until it is done or failed. */
export async function waitForScan(url: string, token: string, id: string, timeoutMs = 60_000): Promise<ScanBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await get(url, token, `/v1/scans/${id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as ScanBody;
    if (body.status === "done" || body.status === "failed") return body;
    if (Date.now() > deadline) throw new Error(`scan ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls a scan until it reaches `status` (e.g. running: its pool thread has it). */
export async function waitForStatus(url: string, id: string, status: ScanBody["status"], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (await (await get(url, ADMIN, `/v1/scans/${id}`)).json()) as ScanBody;
    if (body.status === status) return body;
    if (Date.now() > deadline) throw new Error(`scan ${id} still ${body.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Uploads and waits for the verdict. */
export async function scanFiles(url: string, token: string, parts: readonly Part[]): Promise<ScanBody> {
  const response = await upload(url, token, parts);
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  return waitForScan(url, token, id);
}

/** Every file under a directory, as paths relative to it. */
export async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** Uploads are removed right after their scan is recorded: waits briefly for the data directory to hold only the store. */
export async function expectNoUploads(dataDir: string): Promise<void> {
  const leftovers = async () => {
    try {
      return (await listFiles(dataDir)).filter((file) => !file.startsWith("modelaudit.sqlite"));
    } catch (error) {
      // A folder removed while it was being listed: look again.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return ["(being removed)"];
      throw error;
    }
  };
  for (let tries = 0; tries < 40 && (await leftovers()).length > 0; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await leftovers()).toEqual([]);
}

import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import fastifyMultipart from "@fastify/multipart";
import { listPlugins } from "@modelaudit/core/engine";
import { renderReport } from "@modelaudit/report";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { type Logger, pino } from "pino";
import { checkScanPaths, resolveRoots } from "./allowed-roots.js";
import { type Principal, RateLimiter, type TokenSpec, TokenVerifier } from "./auth.js";
import { EmbeddedQueue, type ScanQueue } from "./embedded-queue.js";
import { errorBody, HttpError, parseInput } from "./http-error.js";
import { type Engine, type EngineOptions, loadEngine } from "./load-engine.js";
import { openStore } from "./open-store.js";
import { openApiDocument, type RouteDoc } from "./openapi.js";
import { receiveUpload } from "./receive-upload.js";
import { DEFAULT_QUEUE_PREFIX, RedisQueue } from "./redis-queue.js";
import { ScanExecutor } from "./scan-executor.js";
import {
  errorSchema,
  healthSchema,
  listQuerySchema,
  pathScanSchema,
  pluginsSchema,
  readySchema,
  sarifSchema,
  scanCreatedSchema,
  scanIdSchema,
  scanListSchema,
  scanSchema,
  uploadScanSchema,
} from "./schemas.js";
import type { ScanRow, ScanStore } from "./store.js";
import { SERVER_VERSION } from "./version.js";
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_SCAN_TIMEOUT_MS, engineOptions } from "./worker.js";

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 ** 3;
export const DEFAULT_MAX_FILES = 100;

export interface ServerOptions extends EngineOptions {
  /** Holds the SQLite store (`modelaudit.sqlite`, unless `databaseUrl` is set) and, unless `blobDir` says otherwise, uploads (`blobs/`). */
  dataDir: string;
  /** A PostgreSQL URL (`DATABASE_URL`): the store moves there, to be shared by services and workers on several machines. */
  databaseUrl?: string;
  /** Where uploads wait for their scan, one folder per scan; shared with workers when scaled out. */
  blobDir?: string;
  /** API tokens; default: none (the service refuses to start without one). */
  tokens: readonly TokenSpec[];
  /** Folders path scans may read; default none (uploads only). */
  allowedRoots?: readonly string[];
  /** Most bytes of one upload, all files together; default 10 GiB. */
  maxUploadBytes?: number;
  /** Most files in one upload; default 100. */
  maxFiles?: number;
  /** Requests per minute per token (bursts up to the same number); default 600. */
  rateLimitPerMinute?: number;
  /** Scans at once in this process's worker-thread pool; default: the CPU count. */
  scanThreads?: number;
  /** Wall-clock budget of one scan; default 10 minutes. */
  scanTimeoutMs?: number;
  /** Times a scan is started before an interrupted scan is failed; default 3. */
  maxAttempts?: number;
  /** Whole request, headers, keep-alive and socket-inactivity timeouts in ms; defaults 15 min, 10 s, 5 s, 60 s. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** With a Redis URL, scans go to a BullMQ queue for `modelaudit worker` processes instead of running here. */
  redisUrl?: string;
  /** Redis key prefix of the queue (the same for the service and its workers); default "modelaudit". */
  queuePrefix?: string;
  /** A pino logger, or false for none (default). */
  logger?: Logger | false;
}

/**
 * The scanning service: the CLI's engine behind an authenticated, asynchronous HTTP API (`/v1`).
 * POST a scan, get `202 { id }` at once, poll `GET /v1/scans/:id`. Plugins load and the store opens
 * when the server becomes ready (`listen`, `ready` or the first `inject`), so a bad config fails
 * start-up, not the first request.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const dataDir = path.resolve(options.dataDir);
  const blobDir = path.resolve(options.blobDir ?? path.join(dataDir, "blobs"));
  const verifier = new TokenVerifier(options.tokens);
  const roots = resolveRoots(options.allowedRoots ?? []);
  const limits = {
    maxUploadBytes: positiveInteger(options.maxUploadBytes, DEFAULT_MAX_UPLOAD_BYTES, "maxUploadBytes"),
    maxFiles: positiveInteger(options.maxFiles, DEFAULT_MAX_FILES, "maxFiles"),
  };
  const limiter = new RateLimiter(positiveInteger(options.rateLimitPerMinute, 600, "rateLimitPerMinute"));
  const maxAttempts = positiveInteger(options.maxAttempts, DEFAULT_MAX_ATTEMPTS, "maxAttempts");
  const requestTimeout = positiveInteger(options.requestTimeoutMs, 15 * 60_000, "requestTimeoutMs");
  const headersTimeout = Math.min(
    requestTimeout,
    positiveInteger(options.headersTimeoutMs, 10_000, "headersTimeoutMs"),
  );
  const logger = options.logger || pino({ enabled: false });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new OneLineLogController(),
    requestTimeout,
    keepAliveTimeout: positiveInteger(options.keepAliveTimeoutMs, 5_000, "keepAliveTimeoutMs"),
    // A connection that sends nothing for this long (e.g. a stalled upload) is closed.
    connectionTimeout: positiveInteger(options.idleTimeoutMs, 60_000, "idleTimeoutMs"),
    // Node checks header and request deadlines every connectionsCheckingInterval (30 s by default).
    http: { headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) },
    bodyLimit: 1024 * 1024,
    // An id in the URL is a UUID; a huge URL is refused before routing.
    routerOptions: { maxParamLength: 100 },
  });
  app.register(fastifyMultipart);

  let store: ScanStore | undefined;
  let queue: ScanQueue | undefined;
  let engine: Engine | undefined;
  const engineSettings = engineOptions(options);

  app.addHook("onReady", async () => {
    engine = await loadEngine(engineSettings);
    mkdirSync(blobDir, { recursive: true, mode: 0o700 });
    store = await openStore({ dataDir, databaseUrl: options.databaseUrl });
    if (options.redisUrl) {
      queue = new RedisQueue(options.redisUrl, options.queuePrefix ?? DEFAULT_QUEUE_PREFIX, store, maxAttempts, logger);
    } else {
      const executor = new ScanExecutor({
        store,
        blobDir,
        engine: engineSettings,
        ...(options.scanThreads !== undefined
          ? { threads: positiveInteger(options.scanThreads, 1, "scanThreads") }
          : {}),
        scanTimeoutMs: positiveInteger(options.scanTimeoutMs, DEFAULT_SCAN_TIMEOUT_MS, "scanTimeoutMs"),
        maxAttempts,
        actor: "embedded",
        logger,
      });
      queue = new EmbeddedQueue(store, executor, maxAttempts, logger);
    }
    await queue.start();
    // The embedded service is the only one on its store (queue.start checked): an upload cut off by
    // a crash has no scan to wait for.
    if (queue.kind === "embedded") await removeOrphanUploads(blobDir, store);
  });
  app.addHook("onClose", async () => {
    await queue?.close();
    await store?.close();
  });
  const ready = () => {
    if (!store || !queue || !engine) throw new HttpError(503, "not-ready", "the service is starting");
    return { store, queue, engine };
  };

  // Authentication and the per-token rate limit, before any body is read.
  const principals = new WeakMap<FastifyRequest, Principal>();
  const publicUrls = new Set(["/healthz", "/readyz"]);
  app.addHook("onRequest", async (request, reply) => {
    if (publicUrls.has(request.url.split("?")[0] ?? "")) return;
    const principal = verifier.verify(request.headers.authorization);
    const wait = limiter.take(principal ? `token:${principal.name}` : `anonymous:${request.ip}`);
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      throw new HttpError(429, "rate-limited", "too many requests; retry later");
    }
    if (!principal) {
      reply.header("www-authenticate", 'Bearer realm="modelaudit"');
      throw new HttpError(401, "unauthorized", "a valid bearer token is required");
    }
    principals.set(request, principal);
  });
  const principalOf = (request: FastifyRequest): Principal => {
    const principal = principals.get(request);
    if (!principal) throw new HttpError(401, "unauthorized", "a valid bearer token is required");
    return principal;
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status >= 400 && status < 500) {
      // Stop reading a body we refused (e.g. the rest of an oversized upload).
      if (status === 413) reply.header("connection", "close");
      // Fastify's own 4xx messages name no server paths; ours are written to be shown.
      return reply.status(status).send(errorBody(error.code ?? "bad-request", error.message));
    }
    if (status === 503 && error instanceof HttpError) {
      return reply.status(503).send(errorBody(error.code, error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send(errorBody("internal-error", "internal server error"));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody("not-found", "no such route")));

  /** A scan the caller may see: its own, or any for an admin. Someone else's is as absent as a missing one. */
  const visibleScan = async (request: FastifyRequest): Promise<ScanRow> => {
    const { id } = parseInput(scanIdSchema, request.params, "id");
    const row = await ready().store.get(id);
    const principal = principalOf(request);
    if (!row || (row.owner !== principal.name && !principal.admin)) {
      throw new HttpError(404, "scan-not-found", "no scan with this id");
    }
    return row;
  };

  const routes: RouteDoc[] = [];
  const route = (doc: RouteDoc, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => {
    routes.push(doc);
    app.route({
      method: doc.method.toUpperCase() as "GET",
      url: doc.url,
      handler: async (request, reply) => handler(request, reply),
    });
  };
  const errors = (entries: Record<number, string>) =>
    Object.fromEntries(
      Object.entries(entries).map(([status, description]) => [status, { description, schema: errorSchema }]),
    );

  route(
    {
      method: "post",
      url: "/v1/scans",
      summary: "Start a scan of uploaded files (one model folder) or of paths under the allowed roots",
      auth: true,
      body: { "multipart/form-data": uploadScanSchema, "application/json": pathScanSchema },
      responses: {
        202: { description: "queued", schema: scanCreatedSchema },
        ...errors({
          400: "invalid request",
          403: "path outside the allowed roots",
          413: "upload over the limits",
          415: "unsupported body",
        }),
      },
    },
    async (request, reply) => {
      const { store, queue } = ready();
      const principal = principalOf(request);
      const id = randomUUID();
      if (request.isMultipart()) {
        const upload = await receiveUpload(request, path.join(blobDir, id), limits);
        await store.insert(id, principal.name, { kind: "upload", inputs: upload.names, ...upload.options });
      } else {
        if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
          throw new HttpError(415, "unsupported-media-type", "send multipart/form-data files or a JSON body of paths");
        }
        const body = parseInput(pathScanSchema, request.body, "body");
        await checkScanPaths(roots, body.paths);
        const { paths, ...scanOptions } = body;
        await store.insert(id, principal.name, { kind: "paths", inputs: paths, ...scanOptions });
      }
      try {
        await queue.enqueue(id);
      } catch (error) {
        request.log.error({ err: error, scanId: id }, "could not queue the scan");
        await store.delete(id).catch(() => false);
        await rm(path.join(blobDir, id), { recursive: true, force: true });
        throw new HttpError(503, "queue-unavailable", "the scan queue is unavailable; retry later");
      }
      request.log.info({ scanId: id, owner: principal.name }, "scan queued");
      return reply.status(202).header("location", `/v1/scans/${id}`).send({ id, status: "queued" });
    },
  );

  route(
    {
      method: "get",
      url: "/v1/scans",
      summary: "List the caller's scans (an admin sees every scan), newest first, paged",
      auth: true,
      query: listQuerySchema,
      responses: {
        200: { description: "a page of scans", schema: scanListSchema },
        ...errors({ 400: "invalid query" }),
      },
    },
    async (request) => {
      const query = parseInput(listQuerySchema, request.query, "query");
      const principal = principalOf(request);
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await ready().store.list({
        ...(principal.admin ? {} : { owner: principal.name }),
        ...(query.status ? { status: query.status as ScanRow["status"] } : {}),
        ...(after ? { after } : {}),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        scans: page.map(summary),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      };
    },
  );

  route(
    {
      method: "get",
      url: "/v1/scans/:id",
      summary: "A scan's state, and its JSON report once done",
      auth: true,
      params: scanIdSchema,
      responses: {
        200: { description: "the scan", schema: scanSchema },
        ...errors({ 404: "no such scan for this token" }),
      },
    },
    async (request) => {
      const row = await visibleScan(request);
      return { ...summary(row), report: row.status === "done" ? ((await ready().store.report(row.id)) ?? null) : null };
    },
  );

  route(
    {
      method: "get",
      url: "/v1/scans/:id/sarif",
      summary: "A finished scan's report as SARIF 2.1.0",
      auth: true,
      params: scanIdSchema,
      responses: {
        200: { description: "SARIF log", schema: sarifSchema, contentType: "application/sarif+json" },
        ...errors({ 404: "no such scan for this token", 409: "the scan is not done" }),
      },
    },
    async (request, reply) => {
      const row = await visibleScan(request);
      const { store, engine } = ready();
      const report = row.status === "done" ? await store.report(row.id) : undefined;
      if (!report) throw new HttpError(409, "scan-not-done", `the scan is ${row.status}`);
      const sarif = renderReport(report, "sarif", { color: false, rules: engine.registry.rules });
      return reply.type("application/sarif+json; charset=utf-8").send(sarif);
    },
  );

  route(
    {
      method: "delete",
      url: "/v1/scans/:id",
      summary: "Delete a scan and its report (a running scan is stopped)",
      auth: true,
      params: scanIdSchema,
      responses: { 204: { description: "deleted" }, ...errors({ 404: "no such scan for this token" }) },
    },
    async (request, reply) => {
      const row = await visibleScan(request);
      const { store, queue } = ready();
      await store.delete(row.id);
      if (row.status === "queued" || row.status === "running") await queue.cancel(row.id);
      await rm(path.join(blobDir, row.id), { recursive: true, force: true });
      return reply.status(204).send();
    },
  );

  route(
    {
      method: "get",
      url: "/v1/plugins",
      summary: "The loaded plugins, their format handlers, detectors and rules",
      auth: true,
      responses: { 200: { description: "plugins", schema: pluginsSchema } },
    },
    async () => ({ plugins: listPlugins(ready().engine.registry) }),
  );

  route(
    {
      method: "get",
      url: "/v1/openapi.json",
      summary: "This document",
      auth: true,
      responses: { 200: { description: "OpenAPI 3.1 document" } },
    },
    async () => openApiDocument(routes, SERVER_VERSION),
  );

  route(
    {
      method: "get",
      url: "/healthz",
      summary: "Liveness: the process answers",
      auth: false,
      responses: { 200: { description: "alive", schema: healthSchema } },
    },
    async () => ({ status: "ok", version: SERVER_VERSION }),
  );

  route(
    {
      method: "get",
      url: "/readyz",
      summary: "Readiness: plugins loaded, store open, queue connected",
      auth: false,
      responses: {
        200: { description: "ready", schema: readySchema },
        503: { description: "not ready", schema: readySchema },
      },
    },
    async (_request, reply) => {
      if (!store || !queue || !engine) {
        return reply
          .status(503)
          .send({ status: "not-ready", queue: options.redisUrl ? "redis" : "embedded", running: 0, queued: 0 });
      }
      return { status: "ready", queue: queue.kind, running: queue.running(), queued: await store.count("queued") };
    },
  );

  return app;
}

/**
 * One log line per request, when it completes: method, URL, address, status and time. Never headers
 * (tokens) or bodies. (Fastify's default adds an "incoming request" line too: twice the log volume.)
 */
class OneLineLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = {
      method: request.method,
      url: request.url.split("?")[0],
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...fields, err: error }, "request errored");
    else reply.log.info(fields, "request completed");
  }
}

async function removeOrphanUploads(blobDir: string, store: ScanStore): Promise<void> {
  for (const name of await readdir(blobDir)) {
    const status = (await store.get(name))?.status;
    if (status !== "queued" && status !== "running")
      await rm(path.join(blobDir, name), { recursive: true, force: true });
  }
}

function summary(row: ScanRow) {
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    attempts: row.attempts,
    error: row.error,
    exitCode: row.exitCode,
    inputs: row.job.inputs,
  };
}

function encodeCursor(row: ScanRow): string {
  return Buffer.from(`${row.createdAt}|${row.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt = "", id = ""] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(createdAt) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new HttpError(400, "invalid-query", "invalid query: cursor");
  }
  return { createdAt, id };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

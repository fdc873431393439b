import { mkdir, readdir, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import fastifyMultipart from "@fastify/multipart";
import { listPlugins } from "@modelaudit/core/engine";
import { REPORT_FORMATS, type ReportFormat, renderReport } from "@modelaudit/report";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { errorBody, HttpError } from "./http-error.js";
import { type Engine, type EngineOptions, loadEngine } from "./load-engine.js";
import { receiveUpload } from "./receive-upload.js";
import { runScan } from "./run-scan.js";
import { isScanId, newScanId, type ScanRecord, ScanStore } from "./scan-store.js";
import { Semaphore } from "./semaphore.js";
import { SERVER_VERSION } from "./version.js";

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 ** 3;
export const DEFAULT_MAX_FILES = 100;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

export interface ServerOptions extends EngineOptions {
  /** Holds `scans/<id>.json` (results) and `uploads/` (files only while they are scanned). */
  dataDir: string;
  /** Largest single uploaded file in bytes; default 10 GiB. */
  maxUploadBytes?: number;
  /** Most files in one request; default 100. */
  maxFiles?: number;
  /** Scans running at once; further requests wait their turn. Default: the CPU count. */
  maxConcurrentScans?: number;
  /** Worker threads per scan of several files; default 2 (at most maxConcurrentScans × this). */
  scanThreads?: number;
  /** Fastify's logger option; default off (the command line prints one line). */
  logger?: FastifyServerOptions["logger"];
}

const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  sarif: "application/sarif+json; charset=utf-8",
  text: "text/plain; charset=utf-8",
};

/**
 * The scanning service: the CLI's engine (same registry, config and report) behind HTTP, with each
 * result kept as a JSON file under `dataDir`. Plugins load when the server becomes ready (`listen`,
 * `ready` or the first `inject`), so a bad config fails start-up, not the first request.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const dataDir = path.resolve(options.dataDir);
  const uploadsDirectory = path.join(dataDir, "uploads");
  const store = new ScanStore(dataDir);
  const maxUploadBytes = positiveInteger(options.maxUploadBytes, DEFAULT_MAX_UPLOAD_BYTES, "maxUploadBytes");
  const maxFiles = positiveInteger(options.maxFiles, DEFAULT_MAX_FILES, "maxFiles");
  const semaphore = new Semaphore(
    positiveInteger(options.maxConcurrentScans, availableParallelism(), "maxConcurrentScans"),
  );
  const scanThreads = positiveInteger(options.scanThreads, 2, "scanThreads");
  let engine: Engine | undefined;

  const app = Fastify({ logger: options.logger ?? false });
  app.register(fastifyMultipart);

  app.addHook("onReady", async () => {
    engine = await loadEngine(options);
    await store.init();
    await mkdir(uploadsDirectory, { recursive: true, mode: 0o700 });
    // Files left by a crash mid-scan: the service never keeps model bytes. One server per data directory.
    for (const name of await readdir(uploadsDirectory)) {
      await rm(path.join(uploadsDirectory, name), { recursive: true, force: true });
    }
  });
  const ready = (): Engine => {
    if (!engine) throw new Error("the scan engine is not loaded");
    return engine;
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status >= 400 && status < 500) {
      // Stop reading a body we refused (e.g. the rest of an oversized upload).
      if (status === 413) reply.header("connection", "close");
      return reply.status(status).send(errorBody(error.code ?? "bad-request", error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send(errorBody("internal-error", "internal server error"));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody("not-found", `no route ${request.method} ${request.url.split("?")[0]}`)),
  );

  app.get("/health", async () => ({
    status: "ok",
    version: SERVER_VERSION,
    plugins: ready().registry.plugins.map((plugin) => ({ name: plugin.meta.name, version: plugin.meta.version })),
    scans: { running: semaphore.active, waiting: semaphore.waiting, capacity: semaphore.capacity },
  }));

  app.get("/plugins", async () => ({ plugins: listPlugins(ready().registry) }));

  app.post("/scans", async (request, reply) => {
    const currentEngine = ready();
    const upload = await receiveUpload(request, uploadsDirectory, { maxUploadBytes, maxFiles });
    let record: ScanRecord;
    try {
      const { report, exitCode } = await semaphore.run(() =>
        runScan(upload.files, upload.directory, currentEngine, {
          ...(upload.level ? { level: upload.level } : {}),
          ...(upload.failOn ? { failOn: upload.failOn } : {}),
          threads: scanThreads,
        }),
      );
      record = { id: newScanId(), status: "done", createdAt: new Date().toISOString(), exitCode, report };
    } finally {
      await rm(upload.directory, { recursive: true, force: true });
    }
    await store.save(record);
    return reply.status(201).header("location", `/scans/${record.id}`).send(record);
  });

  app.get<{ Querystring: { limit?: string } }>("/scans", async (request) => {
    const limit = listLimit(request.query.limit);
    return { scans: await store.list(limit) };
  });

  app.get<{ Params: { id: string } }>("/scans/:id", async (request) => findRecord(store, request.params.id));

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>("/scans/:id/report", async (request, reply) => {
    const format = (request.query.format ?? "json") as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) {
      throw new HttpError(400, "invalid-format", `format must be one of ${REPORT_FORMATS.join(", ")}`);
    }
    const record = await findRecord(store, request.params.id);
    const rendered = renderReport(record.report, format, { color: false, rules: ready().registry.rules });
    return reply.type(REPORT_CONTENT_TYPES[format]).send(rendered);
  });

  return app;
}

async function findRecord(store: ScanStore, id: string): Promise<ScanRecord> {
  // The id is checked against the UUID pattern before any file name is built from it.
  const record = isScanId(id) ? await store.get(id) : undefined;
  if (!record) throw new HttpError(404, "scan-not-found", "no scan with this id");
  return record;
}

function listLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIST_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new HttpError(400, "invalid-limit", "limit must be a positive integer");
  return Math.min(limit, MAX_LIST_LIMIT);
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "./main.js";

export type { PluginListing } from "@modelaudit/core/engine";
export { type Principal, parseTokens, RateLimiter, type TokenSpec, TokenVerifier } from "./auth.js";
export { buildServer, DEFAULT_MAX_FILES, DEFAULT_MAX_UPLOAD_BYTES, type ServerOptions } from "./build-server.js";
export { sanitizeFileName } from "./file-name.js";
export { type ErrorBody, HttpError } from "./http-error.js";
export { type Engine, type EngineOptions, EngineSetupError, loadEngine } from "./load-engine.js";
export { type MainIo, type MainResult, main, SERVE_USAGE, WORKER_USAGE, workerMain } from "./main.js";
export { openStore, type StoreLocation } from "./open-store.js";
export { PostgresStore } from "./postgres-store.js";
export { SqliteStore } from "./sqlite-store.js";
export type { Claim, Completion, ListQuery, ScanJob, ScanRow, ScanStatus, ScanStore } from "./store.js";
export { SERVER_NAME, SERVER_VERSION } from "./version.js";
export { startWorker, type WorkerOptions } from "./worker.js";

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `node dist/server.js [serve options]` or `node dist/server.js worker [worker options]`.
  main(process.argv.slice(2), process).then(({ exitCode, close }) => {
    if (!close) {
      process.exitCode = exitCode;
      return;
    }
    // Finish in-flight work on Ctrl-C or a stop signal; a second signal is not waited for.
    const stop = () => {
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

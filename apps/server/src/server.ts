import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "./main.js";

export type { PluginListing } from "@modelaudit/core/engine";
export {
  buildServer,
  DEFAULT_LIST_LIMIT,
  DEFAULT_MAX_FILES,
  DEFAULT_MAX_UPLOAD_BYTES,
  MAX_LIST_LIMIT,
  type ServerOptions,
} from "./build-server.js";
export { sanitizeFileName } from "./file-name.js";
export { type ErrorBody, HttpError } from "./http-error.js";
export { type Engine, type EngineOptions, EngineSetupError, loadEngine } from "./load-engine.js";
export { type MainIo, main } from "./main.js";
export { isScanId, type ScanListItem, type ScanRecord, ScanStore } from "./scan-store.js";
export { Semaphore } from "./semaphore.js";
export { SERVER_NAME, SERVER_VERSION } from "./version.js";

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
  main(process.argv.slice(2), process).then(({ exitCode, close }) => {
    if (!close) {
      process.exitCode = exitCode;
      return;
    }
    // Finish in-flight requests on Ctrl-C or a stop signal; a second signal is not waited for.
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

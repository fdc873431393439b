import { createHash, type Hash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import type { FromHashWorker, ToHashWorker } from "./file-hash.js";

// Worker-thread entry: SHA-256 of the chunks the main thread posts, one hash per stream id, so a
// large file's hashing runs beside the detectors instead of before them.
const port = parentPort;
if (!port) throw new Error("hash-worker must run in a worker thread");
const hashes = new Map<number, Hash>();
port.on("message", (message: ToHashWorker) => {
  if (message.type === "update") {
    let hash = hashes.get(message.id);
    if (!hash) {
      hash = createHash("sha256");
      hashes.set(message.id, hash);
    }
    hash.update(message.chunk);
    // The buffer goes back for the next chunk's copy.
    const buffer = message.chunk.buffer as ArrayBuffer;
    port.postMessage({ type: "ack", id: message.id, buffer } satisfies FromHashWorker, [buffer]);
  } else {
    const hash = hashes.get(message.id) ?? createHash("sha256");
    hashes.delete(message.id);
    port.postMessage({ type: "digest", id: message.id, hex: hash.digest("hex") } satisfies FromHashWorker);
  }
});

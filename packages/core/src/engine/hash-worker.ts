import { parentPort } from "node:worker_threads";
import { createDigester } from "./digester.js";
import type { FromHashWorker, ToHashWorker } from "./file-hash.js";
import { JobRunner, type ToJobRunner } from "./kernel-jobs.js";
import { BlockScanJob, PrintableBlocks } from "./printable-blocks.js";

// Worker-thread entry: the digests of the chunks the main thread posts, one digester per stream id,
// so a large file's hashing runs beside the detectors instead of before them. A chunk may come with
// its printable-blocks scan for the strings channel, done first: the byte pass needs it sooner.
// Between chunks it runs the kernel jobs the main thread handed over (kernel-jobs.ts).
const port = parentPort;
if (!port) throw new Error("hash-worker must run in a worker thread");
const digesters = new Map<number, ReturnType<typeof createDigester>>();
const jobs = new JobRunner();
port.on("message", (message: ToHashWorker | ToJobRunner) => {
  if (message.type === "kernel-jobs" || message.type === "kernel-job-kernel") {
    jobs.receive(message);
    return;
  }
  let digester = digesters.get(message.id);
  if (!digester) {
    digester = createDigester(message.algorithms);
    digesters.set(message.id, digester);
  }
  if (message.type === "update") {
    const chunk = new Uint8Array(message.buffer, message.offset, message.length);
    const kernel = message.blocks ? PrintableBlocks.get() : null;
    // Without the kernel here the job stays open and the byte pass scans the chunk itself.
    if (message.blocks && kernel) BlockScanJob.run(message.blocks.buffer, message.blocks.generation, chunk, kernel);
    digester.update(chunk);
    // The (shared) buffer goes back for the next chunk's copy before any kernel job runs here: a job
    // the main thread needs meanwhile it runs itself (it is still open), while a late buffer stalls it.
    port.postMessage({ type: "ack", id: message.id } satisfies FromHashWorker);
    jobs.drain();
  } else {
    digesters.delete(message.id);
    port.postMessage({ type: "digest", id: message.id, digests: digester.digest() } satisfies FromHashWorker);
  }
});

// Loopback load test of the scanning service, part of the root `pnpm bench` (alone:
// `pnpm --filter @modelaudit/server bench`; BENCH_SKIP_SERVER=1 skips it):
//   1. requests/s and latency percentiles of small uploads (POST /v1/scans, autocannon);
//   2. 50 concurrent 50 MB uploads, twice, with the server process's RSS sampled every 100 ms: before
//      the uploads, at its peak while they stream in, right after the last is accepted, and once their
//      scans have finished.
// Each phase runs a fresh server as a child process (embedded store and pool) so its memory is
// measured alone and phase 2 does not inherit phase 1's queue. Linux only (RSS from /proc).
// Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (10), BENCH_UPLOADS (50), BENCH_UPLOAD_MB (50),
// BENCH_ROUNDS (2: the large uploads again on the same server, to show its memory does not grow);
// BENCH_REDIS_URL: run the service in scale-out mode with no worker, to measure the API's intake alone.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

if (process.env.BENCH_SKIP_SERVER) {
  console.log("server load test skipped (BENCH_SKIP_SERVER is set)");
  process.exit(0);
}
if (process.platform !== "linux") {
  console.log("server load test skipped: it reads the server's memory from /proc (Linux only)");
  process.exit(0);
}
const { default: autocannon } = await import("autocannon");

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.join(here, "../dist/server.js");
const TOKEN = "bench-token-0123456789abcdef";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 50);
const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "";
const BOUNDARY = "----modelaudit-bench-boundary";

function multipartHead(name) {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const SMALL = Buffer.concat([multipartHead("tiny.bin"), Buffer.from("benchmark payload\n"), TAIL]);

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const mb = (value) => `${value.toFixed(0)} MB`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "modelaudit-bench-"));
  const child = spawn(process.execPath, [SERVER, "--port", "0", "--data-dir", dataDir, "--rate-limit", "100000000"], {
    env: { ...process.env, MODELAUDIT_TOKENS: `bench:${TOKEN}`, REDIS_URL, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  // The service logs a line per request: read and drop them.
  child.stdout.removeAllListeners("data");
  child.stdout.resume();
  return {
    child,
    url,
    stop: async () => {
      child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function readyz(url) {
  return (await fetch(`${url}/readyz`)).json();
}

/** Waits until the server has no scan queued or running (embedded mode), up to `timeoutMs`. */
async function drained(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readyz(url);
    if (state.queue !== "embedded" || (state.queued === 0 && state.running === 0)) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

/** A few uploads at once and their scans: every pool thread loads the plugins before anything is measured. */
async function warmUp(url) {
  const statuses = await Promise.all(
    Array.from({ length: availableParallelism() * 2 }, async () => {
      const response = await fetch(`${url}/v1/scans`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
        body: SMALL,
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  if (statuses.some((status) => status !== 202)) throw new Error(`warm-up uploads answered ${statuses.join(", ")}`);
  await drained(url, 120_000);
}

/** One streamed upload of `bytes` bytes (never held in memory whole on either side). */
function streamUpload(url, bytes, index) {
  return new Promise((resolve, reject) => {
    const target = new URL("/v1/scans", url);
    const head = multipartHead(`upload-${index}.bin`);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
          "content-length": head.length + bytes + TAIL.length,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    req.on("error", reject);
    req.write(head);
    const chunk = Buffer.alloc(256 * 1024);
    for (let offset = 0; offset < chunk.length; offset += 4) chunk.writeUInt32LE((offset * 2654435761) >>> 0, offset);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return req.once("drain", pump);
      }
      req.end(TAIL);
    };
    pump();
  });
}

const load = loadavg().map((value) => value.toFixed(2));
console.log(
  `server load test: node ${process.version}, ${availableParallelism()} CPUs, load average ${load.join(" ")}` +
    (Number(load[0]) > 1 ? " (the machine is busy: figures are lower than on an idle one)" : ""),
);

// Phase 1: small uploads, as fast as the service takes them.
{
  const server = await startServer();
  try {
    await warmUp(server.url);
    const result = await autocannon({
      url: `${server.url}/v1/scans`,
      method: "POST",
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body: SMALL,
    });
    const mode = REDIS_URL ? "scale-out mode, no worker" : "embedded store and pool, scans running alongside";
    console.log(`small uploads (${SMALL.length} B body, ${CONNECTIONS} connections, ${SECONDS} s; ${mode}):`);
    console.log(
      `  ${result.requests.average.toFixed(0)} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.total} requests, ${result.non2xx + result.errors} not 2xx`,
    );
  } finally {
    await server.stop();
  }
}

// Phase 2: large uploads all at once, sampling the server's RSS while they stream in and are scanned.
// Twice on the same server: flat memory means the second round peaks where the first did.
{
  const server = await startServer();
  try {
    const idle = rssMb(server.child.pid);
    await warmUp(server.url);
    const before = rssMb(server.child.pid);
    console.log(
      `${UPLOADS} concurrent ${UPLOAD_MB} MB uploads (${((UPLOADS * UPLOAD_MB) / 1024).toFixed(2)} GB a round), ${ROUNDS} rounds:`,
    );
    console.log(`  server RSS idle ${mb(idle)}, ${mb(before)} before the uploads (pool threads loaded)`);
    for (let round = 1; round <= ROUNDS; round++) {
      const start = rssMb(server.child.pid);
      let peak = start;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(server.child.pid));
      }, 100);
      const started = Date.now();
      const statuses = await Promise.all(
        Array.from({ length: UPLOADS }, (_, index) => streamUpload(server.url, UPLOAD_MB * 1024 * 1024, index)),
      );
      const seconds = (Date.now() - started) / 1000;
      const after = rssMb(server.child.pid);
      const scanned = await drained(server.url, 600_000);
      clearInterval(sampler);
      const settled = rssMb(server.child.pid);
      const accepted = statuses.filter((status) => status === 202).length;
      console.log(
        `  round ${round}: ${accepted}/${UPLOADS} accepted in ${seconds.toFixed(1)} s (${((UPLOADS * UPLOAD_MB) / seconds).toFixed(0)} MB/s); RSS ${mb(start)} at the start, peak ${mb(peak)} (+${mb(peak - before)} over before) while they streamed in and were scanned, ${mb(after)} after the uploads, ${mb(settled)} after their scans${scanned ? "" : " (scans still running after 10 min)"}`,
      );
    }
  } finally {
    await server.stop();
  }
}

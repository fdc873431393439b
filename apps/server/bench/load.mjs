// Loopback load test of the scanning service (`pnpm --filter @modelaudit/server bench`):
//   1. requests/s and latency percentiles of small uploads (POST /v1/scans, autocannon);
//   2. 50 concurrent 50 MB uploads, with the server process's RSS sampled every 100 ms.
// The server runs as a child process (embedded store and pool) so its memory is measured alone.
// Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (10), BENCH_UPLOADS (50), BENCH_UPLOAD_MB (50);
// BENCH_REDIS_URL: run the service in scale-out mode with no worker, to measure the API's intake alone.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = path.dirname(fileURLToPath(import.meta.url));
const TOKEN = "bench-token-0123456789abcdef";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 50);
const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 50);
const BOUNDARY = "----modelaudit-bench-boundary";

function multipartHead(name) {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function startServer(dataDir) {
  const child = spawn(
    process.execPath,
    [path.join(here, "../dist/server.js"), "--port", "0", "--data-dir", dataDir, "--rate-limit", "100000000"],
    {
      env: { ...process.env, MODELAUDIT_TOKENS: `bench:${TOKEN}`, REDIS_URL: "" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  child.stdout.resume();
  return { child, url };
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

const dataDir = await mkdtemp(path.join(tmpdir(), "modelaudit-bench-"));
const { child, url } = await startServer(dataDir);
try {
  // Warm-up: the first scan loads the plugins in a pool thread.
  const small = Buffer.concat([multipartHead("tiny.bin"), Buffer.from("benchmark payload\n"), TAIL]);
  const idleRss = rssKb(child.pid);

  const result = await autocannon({
    url: `${url}/v1/scans`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: small,
  });
  const non2xx = result.non2xx + result.errors;
  console.log(`small uploads (${small.length} B body, ${CONNECTIONS} connections, ${SECONDS} s):`);
  console.log(
    `  ${result.requests.average.toFixed(0)} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.total} requests, ${non2xx} not 2xx`,
  );

  // Large uploads: all at once, sampling the server's RSS while they stream in.
  let peakRss = rssKb(child.pid);
  const baseRss = peakRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssKb(child.pid));
  }, 100);
  const started = Date.now();
  const statuses = await Promise.all(
    Array.from({ length: UPLOADS }, (_, index) => streamUpload(url, UPLOAD_MB * 1024 * 1024, index)),
  );
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const accepted = statuses.filter((status) => status === 202).length;
  console.log(`${UPLOADS} concurrent ${UPLOAD_MB} MB uploads:`);
  console.log(
    `  ${accepted}/${UPLOADS} accepted in ${seconds.toFixed(1)} s (${((UPLOADS * UPLOAD_MB) / seconds).toFixed(0)} MB/s); server RSS idle ${(idleRss / 1024).toFixed(0)} MB, before ${(baseRss / 1024).toFixed(0)} MB, peak ${(peakRss / 1024).toFixed(0)} MB during the uploads`,
  );
} finally {
  child.kill("SIGKILL");
  await rm(dataDir, { recursive: true, force: true });
}

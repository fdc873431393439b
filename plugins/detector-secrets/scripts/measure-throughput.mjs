#!/usr/bin/env node
// Throughput of the raw-byte secrets scanner: random float32 weights streamed through onBytes in
// 4 MiB chunks (as the engine does), beside the time to read the same bytes from disk.
// Usage: pnpm --filter @modelaudit/detector-secrets build && node scripts/measure-throughput.mjs [MiB] [file]
// The file (default: a temporary one) is written first, then read back once cold-ish and once warm.
import { createReadStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import plugin from "../dist/index.js";

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;
const total = Number(process.argv[2] ?? 1024) * MiB;
const file = process.argv[3] ?? path.join(tmpdir(), `secrets-throughput-${process.pid}.bin`);

function xorshift(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

async function writeRandomFloats() {
  const next = xorshift(1);
  const handle = await open(file, "w");
  for (let done = 0; done < total; done += CHUNK) {
    const floats = new Float32Array(Math.min(CHUNK, total - done) / 4);
    for (let index = 0; index < floats.length; index++) floats[index] = (next() + next() + next() - 1.5) * 0.05;
    await handle.write(new Uint8Array(floats.buffer));
  }
  await handle.close();
}

async function readOnly() {
  const started = process.hrtime.bigint();
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) bytes += chunk.length;
  return { bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function readAndScan() {
  const findings = [];
  const run = plugin.detectors[0].create({ report: (input) => findings.push(input), options: {}, level: "standard" });
  const origin = { file, memberChain: [], formats: [] };
  let scanSeconds = 0;
  let offset = 0;
  const started = process.hrtime.bigint();
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const before = process.hrtime.bigint();
    run.onBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset, origin);
    scanSeconds += Number(process.hrtime.bigint() - before) / 1e9;
    offset += chunk.length;
  }
  run.onBytesEnd(origin);
  run.finish();
  return {
    bytes: offset,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    scanSeconds,
    findings: findings.length,
  };
}

await writeRandomFloats();
try {
  const read = await readOnly();
  const scanned = await readAndScan();
  const rate = (bytes, seconds) => `${(bytes / MiB / seconds).toFixed(0)} MiB/s`;
  console.log(`node ${process.version}; ${total / MiB} MiB of random float32 in ${CHUNK / MiB} MiB chunks`);
  console.log(`read only:           ${read.seconds.toFixed(2)} s  ${rate(read.bytes, read.seconds)}`);
  console.log(`onBytes alone:       ${scanned.scanSeconds.toFixed(2)} s  ${rate(scanned.bytes, scanned.scanSeconds)}`);
  console.log(`read + onBytes:      ${scanned.seconds.toFixed(2)} s  ${rate(scanned.bytes, scanned.seconds)}`);
  console.log(`findings: ${scanned.findings}`);
} finally {
  if (!process.argv[3]) await rm(file, { force: true });
}

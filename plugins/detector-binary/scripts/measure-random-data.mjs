#!/usr/bin/env node
// Measures embedded-executable false positives and throughput on random data, through the built
// detector exactly as the engine drives it (4 MiB chunks, then onBytesEnd and finish).
// Usage: pnpm --filter @modelaudit/detector-binary build && node scripts/measure-random-data.mjs [MiB]
import { Buffer } from "node:buffer";
import { driveDetector } from "@modelaudit/core/testing";
import executable from "@modelaudit/format-executable";
import plugin from "../dist/index.js";

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;
const total = Number(process.argv[2] ?? 100) * MiB;
const detector = plugin.detectors[0];

/** The engine's identify over the executable handlers, as core's test driver wires it. */
function engineIdentify() {
  let identify;
  const probe = { id: "probe", description: "keeps its identify", facts: [], rules: [] };
  const create = (context) => {
    identify = context.identify;
    return {};
  };
  driveDetector({ ...probe, create }, { identifyWith: executable.formats });
  return identify;
}
const identify = engineIdentify();

function xorshift(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Chunks of float32 weights: roughly normal (sum of three uniforms), scale 0.05, like trained layers. */
function* floatChunks(seed) {
  const next = xorshift(seed);
  for (let done = 0; done < total; done += CHUNK) {
    const floats = new Float32Array(Math.min(CHUNK, total - done) / 4);
    for (let index = 0; index < floats.length; index++) floats[index] = (next() + next() + next() - 1.5) * 0.05;
    yield new Uint8Array(floats.buffer);
  }
}

/** Chunks of uniformly random bytes: every magic occurs by chance at its full rate. */
function* byteChunks(seed) {
  const next = xorshift(seed);
  for (let done = 0; done < total; done += CHUNK) {
    const words = new Uint32Array(Math.min(CHUNK, total - done) / 4);
    for (let index = 0; index < words.length; index++) words[index] = next() * 2 ** 32;
    yield new Uint8Array(words.buffer);
  }
}

function countMagics(chunks) {
  const needles = {
    MZ: Buffer.from("MZ"),
    ELF: Buffer.from("\x7fELF", "latin1"),
    cafebabe: Buffer.from("cafebabe", "hex"),
  };
  const counts = Object.fromEntries(Object.keys(needles).map((key) => [key, 0]));
  for (const chunk of chunks) {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (const [key, needle] of Object.entries(needles)) {
      for (let index = view.indexOf(needle); index !== -1; index = view.indexOf(needle, index + 1)) counts[key]++;
    }
  }
  return counts;
}

function measure(label, makeChunks, level) {
  const chunks = [...makeChunks()]; // generated before timing: only the detector is measured
  const findings = [];
  const run = detector.create({ report: (input) => findings.push(input), options: {}, level, identify });
  const origin = { file: `${label}.bin`, memberChain: [], formats: [] };
  const started = process.hrtime.bigint();
  let offset = 0;
  for (const chunk of chunks) {
    run.onBytes(chunk, offset, origin);
    offset += chunk.length;
  }
  run.onBytesEnd(origin);
  run.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const magics = countMagics(chunks);
  const executableFindings = findings.filter((finding) => finding.rule === "embedded-executable").length;
  console.log(
    `${label.padEnd(22)} level=${level.padEnd(8)} ${(offset / MiB).toFixed(0)} MiB  ${seconds.toFixed(3)} s  ` +
      `${(offset / MiB / seconds).toFixed(0)} MiB/s  embedded-executable findings: ${executableFindings}  ` +
      `(chance magics validated and rejected: MZ ${magics.MZ}, \\x7fELF ${magics.ELF}, cafebabe ${magics.cafebabe})`,
  );
}

console.log(`node ${process.version}, ${total / MiB} MiB per run, ${CHUNK / MiB} MiB chunks`);
for (const seed of [1, 2]) {
  measure(`float32 seed ${seed}`, () => floatChunks(seed), "standard");
  measure(`uniform bytes seed ${seed}`, () => byteChunks(seed), "standard");
}
measure("float32 seed 1", () => floatChunks(1), "quick");

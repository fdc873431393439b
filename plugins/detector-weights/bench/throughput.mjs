// Throughput of the weights detector at the thorough level: 256 MB of random float32 in a
// safetensors file, scanned with and without the detector. Not a test. Run after `pnpm build`:
//   node bench/throughput.mjs [megabytes]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import safetensors from "@modelaudit/format-safetensors";
import weights from "../dist/index.js";

const megabytes = Number(process.argv[2] ?? 256);
const tensorCount = 8;
const perTensor = Math.floor((megabytes * 1024 * 1024) / tensorCount / 4);
const header = {};
for (let index = 0; index < tensorCount; index++) {
  header[`layers.${index}.weight`] = {
    dtype: "F32",
    shape: [perTensor],
    data_offsets: [index * perTensor * 4, (index + 1) * perTensor * 4],
  };
}
let text = JSON.stringify(header);
text += " ".repeat((8 - (text.length % 8)) % 8);
const bytes = new Uint8Array(8 + text.length + tensorCount * perTensor * 4);
new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
bytes.set(Buffer.from(text), 8);
const values = new Float32Array(bytes.buffer, 8 + text.length, tensorCount * perTensor);
let state = 12345;
for (let index = 0; index < values.length; index += 2) {
  state = (state * 1103515245 + 12345) >>> 0;
  const first = (state + 1) / 4294967297;
  state = (state * 1103515245 + 12345) >>> 0;
  const radius = Math.sqrt(-2 * Math.log(first)) * 0.02;
  values[index] = radius * Math.cos((2 * Math.PI * state) / 4294967296);
  values[index + 1] = radius * Math.sin((2 * Math.PI * state) / 4294967296);
}
const directory = mkdtempSync(path.join(tmpdir(), "weights-bench-"));
const file = path.join(directory, "model.safetensors");
writeFileSync(file, bytes);
try {
  for (const [label, plugins] of [
    ["engine alone (hash + parse)", [safetensors]],
    ["with detector-weights", [safetensors, weights]],
  ]) {
    const runs = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const report = await scanPaths([file], plugins, { level: "thorough" });
      runs.push(performance.now() - started);
      if (report.findings.length > 0) throw new Error(`unexpected findings: ${report.findings[0].message}`);
    }
    const best = Math.min(...runs);
    console.log(
      `${label}: ${(bytes.length / 1024 / 1024).toFixed(0)} MB in ${best.toFixed(0)} ms = ${(bytes.length / 1024 / 1024 / (best / 1000)).toFixed(0)} MB/s`,
    );
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

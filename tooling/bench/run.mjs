// `pnpm bench`: builds the inputs (once) and prints, per input, the scan time and peak RSS beside the
// time and peak RSS of merely reading the same bytes. Each measurement runs in its own process.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import {
  ensureDataDir,
  makeForest,
  makeGguf,
  makeMillionOpcodes,
  makeSafetensors,
  makeTorchCheckpoint,
} from "./make-inputs.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = ensureDataDir();

function measure(count, ...args) {
  const samples = [];
  for (let run = 0; run < count; run++) {
    const child = spawnSync(process.execPath, [path.join(import.meta.dirname, "measure.mjs"), ...args], {
      encoding: "utf8",
      cwd: import.meta.dirname,
    });
    if (child.status !== 0) throw new Error(`measure ${args.join(" ")} failed:\n${child.stderr}`);
    samples.push(JSON.parse(child.stdout));
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)]; // median
}

const inputs = [];
const checkpoint = path.join(dir, "checkpoint-100mb.pt");
if (!existsSync(checkpoint)) makeTorchCheckpoint(checkpoint, 100 * 1024 * 1024);
inputs.push({
  name: "PyTorch zip checkpoint, 100 MB (100 stored tensors)",
  file: checkpoint,
  levels: ["quick", "standard"],
});

const forest = path.join(dir, "random-forest.joblib");
if (existsSync(forest) || makeForest(forest)) {
  inputs.push({ name: "joblib random forest (real scikit-learn)", file: forest, levels: ["quick", "standard"] });
} else {
  console.log("python3 with scikit-learn not found: skipping the random-forest input (see make_forest.py)");
}

const million = path.join(dir, "million-opcodes.pkl");
if (!existsSync(million)) makeMillionOpcodes(million);
inputs.push({ name: "synthetic pickle, ~1,000,000 opcodes", file: million, levels: ["quick", "standard"] });

// Large inputs (about 7 GB of disk); skip them with BENCH_SKIP_LARGE=1. Each is measured against
// Node's streaming SHA-256 of the same bytes in the same run (the "x SHA-256" column).
if (!process.env.BENCH_SKIP_LARGE) {
  const safetensors = path.join(dir, "model-1gb.safetensors");
  if (!existsSync(safetensors)) makeSafetensors(safetensors, 1024 ** 3);
  inputs.push({
    name: "safetensors, 1 GiB (256 f32 tensors)",
    file: safetensors,
    levels: ["quick", "standard", "thorough"],
  });
  // Raw-byte secrets throughput: the file with only the safetensors handler, then with the secrets
  // detector added, at the level where tensor bytes are scanned.
  inputs.push({
    name: "safetensors, 1 GiB: handler only",
    file: safetensors,
    levels: ["thorough"],
    only: "@modelaudit/format-safetensors",
  });
  inputs.push({
    name: "safetensors, 1 GiB: + secrets over raw bytes",
    file: safetensors,
    levels: ["thorough"],
    only: "@modelaudit/format-safetensors,@modelaudit/detector-secrets",
  });
  const bigZip = path.join(dir, "checkpoint-1gb.pt");
  if (!existsSync(bigZip)) makeTorchCheckpoint(bigZip, 1024 ** 3);
  inputs.push({
    name: "PyTorch zip checkpoint, 1 GiB (100 f32 tensors)",
    file: bigZip,
    levels: ["quick", "standard", "thorough"],
  });
  const gguf = path.join(dir, "model-1gb.gguf");
  if (!existsSync(gguf)) makeGguf(gguf, 1024 ** 3);
  inputs.push({
    name: "GGUF, 1 GiB (Q8_0 matrices, f16/f32 norms)",
    file: gguf,
    levels: ["quick", "standard", "thorough"],
  });
  // Peak memory must not grow with the file: one run of each level on 4 GiB.
  const huge = path.join(dir, "model-4gb.safetensors");
  if (!existsSync(huge)) makeSafetensors(huge, 4 * 1024 ** 3);
  inputs.push({ name: "safetensors, 4 GiB (256 f32 tensors)", file: huge, levels: ["standard", "thorough"], runs: 1 });
}

console.log(`node ${process.version}, median of ${runs} runs, each in a fresh process; page cache warm\n`);
const rows = [];
const baselines = new Map();
for (const input of inputs) {
  const size = statSync(input.file).size;
  const inputRuns = input.runs ?? runs;
  if (!baselines.has(input.file)) {
    measure(inputRuns, "read", input.file); // warm the page cache
    const read = measure(inputRuns, "read", input.file);
    const sha = measure(inputRuns, "sha256", input.file);
    baselines.set(input.file, sha.ms);
    rows.push([input.name, `${(size / 1e6).toFixed(1)} MB`, "read only", read.ms, size, sha.ms, read.maxRssMB, ""]);
    rows.push([input.name, "", "SHA-256 (node:crypto)", sha.ms, size, sha.ms, sha.maxRssMB, ""]);
  }
  for (const level of input.levels) {
    const result = measure(inputRuns, "scan", input.file, level, ...(input.only ? [input.only] : []));
    rows.push([
      input.name,
      "",
      `scan --level ${level}`,
      result.ms,
      size,
      baselines.get(input.file),
      result.maxRssMB,
      `${result.outcome}, start-up ${result.startupMs.toFixed(0)} ms`,
    ]);
  }
}
const header = ["input", "size", "what", "time", "MB/s", "x SHA-256", "peak RSS", "notes"];
const lines = rows.map(([name, size, what, ms, bytes, sha, rss, notes]) => [
  name,
  size,
  what,
  `${ms.toFixed(1)} ms`,
  `${(bytes / 1e6 / (ms / 1000)).toFixed(0)}`,
  `${(ms / sha).toFixed(2)}`,
  `${rss.toFixed(0)} MB`,
  notes,
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...lines.map((line) => String(line[column]).length)),
);
const format = (line) => line.map((cell, column) => String(cell).padEnd(widths[column])).join(" | ");
console.log(format(header));
console.log(widths.map((width) => "-".repeat(width)).join("-|-"));
for (const line of lines) console.log(format(line));

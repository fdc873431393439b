// `pnpm bench`: builds the inputs (once) and prints, per input, the scan time and peak RSS beside the
// time and peak RSS of merely reading the same bytes. Each measurement runs in its own process.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ensureDataDir, makeForest, makeMillionOpcodes, makeSafetensors, makeTorchCheckpoint } from "./make-inputs.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = ensureDataDir();

function measure(...args) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
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

// Large inputs (about 2 GB of disk); skip them with BENCH_SKIP_LARGE=1.
if (!process.env.BENCH_SKIP_LARGE) {
  const safetensors = path.join(dir, "model-1gb.safetensors");
  if (!existsSync(safetensors)) makeSafetensors(safetensors, 1024 ** 3);
  inputs.push({ name: "safetensors, 1 GB (256 tensors)", file: safetensors, levels: ["quick", "standard"] });
  inputs.push({ name: "safetensors, 1 GB (256 tensors)", file: safetensors, levels: ["thorough"] });
  // Raw-byte secrets throughput: the same file with only the safetensors handler (hash baseline), then
  // with the secrets detector added, at the level where tensor bytes are scanned.
  inputs.push({
    name: "safetensors, 1 GB: handler only (hash baseline)",
    file: safetensors,
    levels: ["thorough"],
    only: "@modelaudit/format-safetensors",
  });
  inputs.push({
    name: "safetensors, 1 GB: + secrets over raw bytes",
    file: safetensors,
    levels: ["thorough"],
    only: "@modelaudit/format-safetensors,@modelaudit/detector-secrets",
  });
  const bigZip = path.join(dir, "checkpoint-1gb.pt");
  if (!existsSync(bigZip)) makeTorchCheckpoint(bigZip, 1024 ** 3);
  inputs.push({ name: "zip (PyTorch layout), 1 GB", file: bigZip, levels: ["quick", "standard", "thorough"] });
}

console.log(`node ${process.version}, median of ${runs} runs, each in a fresh process; page cache warm\n`);
const rows = [];
const readDone = new Set();
for (const input of inputs) {
  const size = statSync(input.file).size;
  if (!readDone.has(input.file)) {
    readDone.add(input.file);
    measure("read", input.file); // warm the page cache
    const read = measure("read", input.file);
    rows.push([input.name, `${(size / 1e6).toFixed(1)} MB`, "read only", read.ms, size, read.maxRssMB, ""]);
  }
  for (const level of input.levels) {
    const result = measure("scan", input.file, level, ...(input.only ? [input.only] : []));
    rows.push([
      input.name,
      "",
      `scan --level ${level}`,
      result.ms,
      size,
      result.maxRssMB,
      `${result.outcome}, start-up ${result.startupMs.toFixed(0)} ms`,
    ]);
  }
}
const header = ["input", "size", "what", "time", "MB/s", "peak RSS", "notes"];
const lines = rows.map(([name, size, what, ms, bytes, rss, notes]) => [
  name,
  size,
  what,
  `${ms.toFixed(1)} ms`,
  `${(bytes / 1e6 / (ms / 1000)).toFixed(0)}`,
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

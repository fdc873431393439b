// `pnpm bench`: builds the inputs (once) and prints, per input and level, the whole `modelaudit scan`
// (start-up included): wall time, MB/s, peak RSS, and ratios to Node's SHA-256 of the same bytes, to
// `gzip -dc` for compressed inputs, and to picklescan and ModelScan when they are installed (their
// columns are left out when not). Every measurement runs in its own process; medians of BENCH_RUNS.
// BENCH_SKIP_LARGE=1 skips the multi-GB inputs, BENCH_ONLY=tar.gz measures only inputs whose name
// contains it. Inputs marked `cache` also get a `--cache DIR` first scan and unchanged rescan; inputs
// marked `afterStartup` also get the engine's scan alone at standard and thorough (measure.mjs `scan`:
// plugins loaded first, then timed), the ratio issue 10's goals speak of.
// Needs the CLI built (`pnpm build`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ensureDataDir,
  makeBigJoblib,
  makeForest,
  makeGguf,
  makeMillionOpcodes,
  makeSafetensors,
  makeSmallFiles,
  makeTarGz,
  makeTorch,
  makeTorchCheckpoint,
} from "./make-inputs.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = ensureDataDir();
const cliBin = path.resolve(import.meta.dirname, "../../apps/cli/bin/modelaudit.js");
if (!existsSync(path.resolve(import.meta.dirname, "../../apps/cli/dist/cli.js"))) {
  console.error("apps/cli is not built: run `pnpm build` first");
  process.exit(2);
}

/** Median of `count` runs of `once()` (each returns { ms, ... }). */
function median(count, once) {
  const samples = [];
  for (let run = 0; run < count; run++) samples.push(once());
  samples.sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)];
}

/** One measure.mjs mode in a fresh node process. */
function measure(count, ...args) {
  return median(count, () => {
    const child = spawnSync(process.execPath, [path.join(import.meta.dirname, "measure.mjs"), ...args], {
      encoding: "utf8",
      cwd: import.meta.dirname,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`measure ${args.join(" ")} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout);
  });
}

// GNU time gives an external command's peak RSS; without it the RSS cell of peers says "n/a".
const gnuTime = ["/usr/bin/time", "/bin/time"].find(
  (candidate) => existsSync(candidate) && spawnSync(candidate, ["-f", "%M", "true"]).status === 0,
);

/** Wall time (and CPU time and peak RSS when GNU time exists) of an external command, output discarded. */
function external(count, command, args) {
  return median(count, () => {
    const argv = gnuTime ? [gnuTime, ["-f", "%U %S %M", command, ...args]] : [command, args];
    const started = process.hrtime.bigint();
    const child = spawnSync(argv[0], argv[1], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.error) throw child.error;
    const [user, system, rssKb] = gnuTime ? child.stderr.trim().split("\n").at(-1).split(" ").map(Number) : [];
    return {
      ms,
      cpuMs: gnuTime ? (user + system) * 1000 : null,
      maxRssMB: gnuTime ? rssKb / 1024 : Number.NaN,
      status: child.status,
    };
  });
}

/** The first of `candidates` ([command, ...prefix args]) that answers `--help`; undefined when none does. */
function findTool(candidates) {
  return candidates.find(([command, ...prefix]) => {
    const child = spawnSync(command, [...prefix, "--help"], { stdio: "ignore" });
    return !child.error && child.status === 0;
  });
}

const peers = [
  { name: "picklescan", tool: findTool([["picklescan"], ["python3", "-m", "picklescan"]]), args: (f) => ["--path", f] },
  { name: "ModelScan", tool: findTool([["modelscan"], ["python3", "-m", "modelscan"]]), args: (f) => ["-p", f] },
].filter((peer) => peer.tool);

// ---------------------------------------------------------------------------------------------
// Inputs

const inputs = [];
const tiny = path.join(dir, "tiny", "config.json");
mkdirSync(path.dirname(tiny), { recursive: true });
writeFileSync(tiny, JSON.stringify({ architectures: ["BertModel"], hidden_size: 768 }));
inputs.push({ name: "tiny config.json (start-up)", file: tiny, levels: ["standard"], peers: false, baselines: false });

const checkpoint = path.join(dir, "checkpoint-100mb.pt");
if (!existsSync(checkpoint)) makeTorchCheckpoint(checkpoint, 100 * 1024 * 1024);
inputs.push({
  name: "PyTorch zip checkpoint, 100 MB (100 stored tensors)",
  file: checkpoint,
  levels: ["quick", "standard"],
  cache: true,
});

const resnet = path.join(dir, "resnet50.pt");
if (existsSync(resnet) || makeTorch(resnet, "zip")) {
  inputs.push({
    name: "ResNet-50-shaped torch.save zip (real torch)",
    file: resnet,
    levels: ["quick", "standard", "thorough"],
  });
}
const resnetLegacy = path.join(dir, "resnet50-legacy.pt");
if (existsSync(resnetLegacy) || makeTorch(resnetLegacy, "legacy")) {
  inputs.push({
    name: "ResNet-50-shaped legacy torch.save (pickle stream)",
    file: resnetLegacy,
    levels: ["quick", "standard", "thorough"],
  });
}

const forest = path.join(dir, "random-forest.joblib");
if (existsSync(forest) || makeForest(forest)) {
  inputs.push({ name: "joblib random forest (real scikit-learn)", file: forest, levels: ["quick", "standard"] });
} else {
  console.log("python3 with scikit-learn not found: skipping the random-forest input (see make_forest.py)");
}

const million = path.join(dir, "million-opcodes.pkl");
if (!existsSync(million)) makeMillionOpcodes(million);
inputs.push({ name: "synthetic pickle, ~1,000,000 opcodes", file: million, levels: ["quick", "standard"] });

const tarGz = path.join(dir, "checkpoint-100mb.tar.gz");
if (!existsSync(tarGz)) await makeTarGz(tarGz, [checkpoint]);
inputs.push({ name: ".tar.gz of the 100 MB checkpoint", file: tarGz, levels: ["quick", "standard"], gzip: true });

const smallFiles = path.join(dir, "small-files-5000");
if (!existsSync(smallFiles)) makeSmallFiles(smallFiles, 5000);
inputs.push({
  name: "5,000 small files (configs, tokenizers, cards, vocab, pickles)",
  file: smallFiles,
  files: 5000,
  levels: ["standard"],
  jobs: [1, 2],
  peers: false,
  cache: true,
});

// Large inputs (about 12 GB of disk); skip them with BENCH_SKIP_LARGE=1.
if (!process.env.BENCH_SKIP_LARGE) {
  const safetensors = path.join(dir, "model-1gb.safetensors");
  if (!existsSync(safetensors)) makeSafetensors(safetensors, 1024 ** 3);
  inputs.push({
    name: "safetensors, 1 GiB (256 f32 tensors)",
    file: safetensors,
    levels: ["quick", "standard", "thorough"],
    afterStartup: true,
  });
  const bigZip = path.join(dir, "checkpoint-1gb.pt");
  if (!existsSync(bigZip)) makeTorchCheckpoint(bigZip, 1024 ** 3);
  inputs.push({
    name: "PyTorch zip checkpoint, 1 GiB (100 f32 tensors)",
    file: bigZip,
    levels: ["quick", "standard", "thorough"],
    afterStartup: true,
  });
  const gguf = path.join(dir, "model-1gb.gguf");
  if (!existsSync(gguf)) makeGguf(gguf, 1024 ** 3);
  inputs.push({
    name: "GGUF, 1 GiB (Q8_0 matrices, f16/f32 norms)",
    file: gguf,
    levels: ["quick", "standard", "thorough"],
    afterStartup: true,
  });
  // joblib keeps its arrays inline: the pickle is read, the arrays skipped (and read as tensor data).
  const bigJoblib = path.join(dir, "embeddings-1gb.joblib");
  if (existsSync(bigJoblib) || makeBigJoblib(bigJoblib)) {
    inputs.push({
      name: "joblib, 1 GiB (real joblib.dump of a float32 matrix)",
      file: bigJoblib,
      levels: ["quick", "standard"],
      afterStartup: true,
    });
  } else {
    console.log("python3 with joblib and numpy not found: skipping the 1 GiB joblib input (see make_big_joblib.py)");
  }
  // Peak memory must not grow with the file: one run of each level on 4 GiB.
  const hugeZip = path.join(dir, "checkpoint-4gb.pt");
  if (!existsSync(hugeZip)) makeTorchCheckpoint(hugeZip, 4 * 1024 ** 3);
  inputs.push({ name: "PyTorch zip checkpoint, 4 GiB", file: hugeZip, levels: ["quick", "standard"], runs: 1 });
  const huge = path.join(dir, "model-4gb.safetensors");
  if (!existsSync(huge)) makeSafetensors(huge, 4 * 1024 ** 3);
  inputs.push({ name: "safetensors, 4 GiB (256 f32 tensors)", file: huge, levels: ["standard", "thorough"], runs: 1 });
  const hugeTarGz = path.join(dir, "model-4gb.tar.gz");
  if (!existsSync(hugeTarGz)) await makeTarGz(hugeTarGz, [huge]);
  // Its tar is past the default 4 GiB of decompressed bytes per artifact: raised, so it is scanned to the end.
  const moreInflated = path.join(dir, "inflate-8gb.config.json");
  writeFileSync(moreInflated, JSON.stringify({ limits: { maxInflatedBytes: 8 * 1024 ** 3 } }));
  inputs.push({
    name: ".tar.gz of the 4 GiB safetensors (maxInflatedBytes 8 GiB)",
    file: hugeTarGz,
    levels: ["quick", "standard"],
    gzip: true,
    runs: 1,
    config: moreInflated,
  });
}

// BENCH_ONLY=text measures only the inputs whose name contains it (case-insensitive).
const only = process.env.BENCH_ONLY?.toLowerCase();
if (only) inputs.splice(0, inputs.length, ...inputs.filter((input) => input.name.toLowerCase().includes(only)));

// ---------------------------------------------------------------------------------------------
// Measurements

console.log(
  `node ${process.version}, median of ${runs} runs, each in a fresh process; page cache warm; ` +
    `peers: ${peers.map((peer) => peer.name).join(", ") || "none installed"}\n`,
);
const peerColumns = peers.map((peer) => `x ${peer.name}`);
// CPU: the process's CPU time (every thread); on a shared machine it moves less than wall time.
const header = [
  "input",
  "size",
  "what",
  "time",
  "CPU",
  "MB/s",
  "peak RSS",
  "x SHA-256",
  "x gzip -dc",
  ...peerColumns,
  "notes",
];
const rows = [];
const row = (cells) => rows.push(cells);

// Start-up beside Node's own: `node -e 0` is the floor any Node CLI starts from.
const floor = external(runs, process.execPath, ["-e", "0"]);
row([
  "node -e 0 (floor)",
  "",
  "whole command",
  floor.ms,
  floor.cpuMs,
  0,
  floor.maxRssMB,
  "",
  "",
  ...peers.map(() => ""),
  "",
]);
const version = external(runs, process.execPath, [cliBin, "--version"]);
row([
  "modelaudit --version",
  "",
  "whole command",
  version.ms,
  version.cpuMs,
  0,
  version.maxRssMB,
  "",
  "",
  ...peers.map(() => ""),
  "",
]);

for (const input of inputs) {
  const inputRuns = input.runs ?? runs;
  const info = statSync(input.file);
  const size = info.isDirectory()
    ? Number(spawnSync("du", ["-sb", input.file], { encoding: "utf8" }).stdout.split("\t")[0])
    : info.size;
  const empty = peers.map(() => "");
  let sha;
  let gunzip;
  const peerTimes = new Map();
  if (info.isFile() && input.baselines !== false) {
    measure(inputRuns, "read", input.file); // warm the page cache
    const read = measure(inputRuns, "read", input.file);
    sha = measure(inputRuns, "sha256", input.file);
    row([
      input.name,
      `${(size / 1e6).toFixed(1)} MB`,
      "read only",
      read.ms,
      read.cpuMs,
      size,
      read.maxRssMB,
      read.ms / sha.ms,
      "",
      ...empty,
      "",
    ]);
    row([input.name, "", "SHA-256 (node:crypto)", sha.ms, sha.cpuMs, size, sha.maxRssMB, 1, "", ...empty, ""]);
    if (input.gzip) {
      gunzip = external(inputRuns, "gzip", ["-dc", input.file]);
      row([
        input.name,
        "",
        "gzip -dc > /dev/null",
        gunzip.ms,
        gunzip.cpuMs,
        size,
        gunzip.maxRssMB,
        gunzip.ms / sha.ms,
        1,
        ...empty,
        "",
      ]);
    }
    if (input.peers !== false) {
      for (const peer of peers) {
        const [command, ...prefix] = peer.tool;
        const result = external(inputRuns, command, [...prefix, ...peer.args(input.file)]);
        peerTimes.set(peer.name, result.ms);
        const cells = peers.map((other) => (other === peer ? 1 : ""));
        row([
          input.name,
          "",
          peer.name,
          result.ms,
          result.cpuMs,
          size,
          result.maxRssMB,
          result.ms / sha.ms,
          "",
          ...cells,
          `exit ${result.status}`,
        ]);
      }
    }
  }
  for (const level of input.levels) {
    for (const jobs of input.jobs ?? [undefined]) {
      const args = ["scan", input.file, "--level", level, "--format", "json", "--quiet"];
      if (jobs !== undefined) args.push("--jobs", String(jobs));
      if (input.config) args.push("--config", input.config);
      const result = measure(inputRuns, "cli", ...args);
      const rate = input.files ? `, ${Math.round(input.files / (result.ms / 1000))} files/s` : "";
      row([
        input.name,
        info.isDirectory() ? `${(size / 1e6).toFixed(1)} MB` : "",
        `scan --level ${level}${jobs !== undefined ? ` --jobs ${jobs}` : ""}`,
        result.ms,
        result.cpuMs,
        size,
        result.maxRssMB,
        sha ? result.ms / sha.ms : "",
        gunzip ? result.ms / gunzip.ms : "",
        ...peers.map((peer) => (peerTimes.has(peer.name) ? result.ms / peerTimes.get(peer.name) : "")),
        `${result.outcome ?? ""}${rate}`,
      ]);
    }
  }
  /** A row of one of our own measurements with no gzip or peer ratio. */
  const ownRow = (what, result, note) =>
    row([
      input.name,
      "",
      what,
      result.ms,
      result.cpuMs,
      size,
      result.maxRssMB,
      sha ? result.ms / sha.ms : "",
      "",
      ...empty,
      note,
    ]);
  // The engine's scan alone, after its plugins are loaded: what a 1 GiB file costs past start-up.
  if (input.afterStartup) {
    for (const level of input.levels.filter((name) => name !== "quick")) {
      const result = measure(inputRuns, "scan", input.file, level);
      ownRow(
        `engine scan --level ${level}, after start-up`,
        result,
        `${result.outcome ?? ""}, start-up ${Math.round(result.startupMs)} ms`,
      );
    }
  }
  // `--cache DIR` (standard level): the first scan fills it; a rescan of the unchanged input hashes
  // every byte and reuses every result, so it should cost about a SHA-256 of the input.
  if (input.cache) {
    const cacheDir = mkdtempSync(path.join(tmpdir(), "modelaudit-bench-cache-"));
    try {
      const args = ["scan", input.file, "--format", "json", "--quiet", "--cache", cacheDir];
      const first = measure(1, "cli", ...args);
      const rescan = measure(inputRuns, "cli", ...args);
      for (const [what, result, note] of [
        ["scan --cache DIR, first (fills it)", first, first.outcome ?? ""],
        ["scan --cache DIR, rescan unchanged", rescan, `${((100 * rescan.ms) / first.ms).toFixed(0)}% of the first`],
      ]) {
        ownRow(what, result, note);
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
}

const ratio = (value) => (typeof value === "number" ? value.toFixed(2) : value);
const lines = rows.map(([name, size, what, ms, cpu, bytes, rss, ...rest]) => [
  name,
  size,
  what,
  `${ms.toFixed(1)} ms`,
  typeof cpu === "number" ? `${cpu.toFixed(0)} ms` : "",
  bytes > 0 ? `${(bytes / 1e6 / (ms / 1000)).toFixed(0)}` : "",
  Number.isNaN(rss) ? "n/a" : `${rss.toFixed(0)} MB`,
  ...rest.slice(0, -1).map(ratio),
  rest.at(-1),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...lines.map((line) => String(line[column]).length)),
);
const format = (line) => line.map((cell, column) => String(cell).padEnd(widths[column])).join(" | ");
console.log(format(header));
console.log(widths.map((width) => "-".repeat(width)).join("-|-"));
for (const line of lines) console.log(format(line));

// Measures one thing in a fresh process so peak RSS belongs to it alone:
//   node measure.mjs read <file>            time to read every byte (4 MiB chunks)
//   node measure.mjs sha256 <file>          time to read and SHA-256 every byte (Node's streaming hash)
//   node measure.mjs scan <file> <level>    time for the scanner (after start-up)
//   node measure.mjs scan <file> <level> <package,package>   the same with only these plugins
//   node measure.mjs cli <arg...>           the whole `modelaudit` command in this process (start-up
//                                           included, from the process's start), report discarded
import { closeSync, openSync, readSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [mode, file, level = "standard", only] = process.argv.slice(2);
const startup = performance.now();
let cpuAtStart = process.cpuUsage();
let result;
if (mode === "read") {
  const buffer = Buffer.alloc(4 * 1024 * 1024);
  const fd = openSync(file, "r");
  const started = performance.now();
  let total = 0;
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, total);
    if (read === 0) break;
    total += read;
  }
  closeSync(fd);
  result = { ms: performance.now() - started, bytes: total };
} else if (mode === "sha256") {
  const { createHash } = await import("node:crypto");
  const buffer = Buffer.alloc(4 * 1024 * 1024);
  const fd = openSync(file, "r");
  const started = performance.now();
  const hash = createHash("sha256");
  let total = 0;
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, total);
    if (read === 0) break;
    hash.update(buffer.subarray(0, read));
    total += read;
  }
  hash.digest("hex");
  closeSync(fd);
  result = { ms: performance.now() - started, bytes: total };
} else if (mode === "cli") {
  // performance.now() counts from the process's start: this is the command's whole time, start-up included.
  cpuAtStart = { user: 0, system: 0 };
  const { run } = await import("../../apps/cli/dist/cli.js");
  let output = "";
  const sink = { write: (chunk) => (output += chunk) };
  const { exitCode } = await run(process.argv.slice(3), { stdout: sink, stderr: sink, isTTY: false });
  let outcome;
  try {
    const report = JSON.parse(output);
    outcome = report.summary ? `${report.summary.files} files, exit ${report.summary.exitCode}` : undefined;
  } catch {
    outcome = output.trim().split("\n").at(-1);
  }
  result = { ms: performance.now(), exitCode, outcome };
} else {
  const { buildRegistry, resolveConfig, scan } = await import("@modelaudit/core/engine");
  const { default: preset } = await import("@modelaudit/preset-recommended");
  // A subset of the preset's plugins, by package name, to time one detector beside its handler.
  const plugins = only ? preset.plugins.filter((plugin) => only.split(",").includes(plugin.meta.name)) : [preset];
  const registry = buildRegistry(plugins);
  const loadedMs = performance.now() - startup;
  cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const report = await scan([file], { registry, config: resolveConfig({ level }) });
  result = {
    ms: performance.now() - started,
    startupMs: loadedMs,
    outcome: report.files[0]?.outcome,
    findings: report.findings.length,
    reasons: report.files[0]?.reasons,
  };
}
result.maxRssMB = process.resourceUsage().maxRSS / 1024;
// CPU time of every thread of the process (the hashing thread included), start-up excluded.
const cpu = process.cpuUsage(cpuAtStart);
result.cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify(result));

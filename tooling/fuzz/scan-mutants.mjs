// Scans the mutants loader_mutants.py wrote and lists the misses: a mutant where a real loader
// reaches a dangerous global while the scan reports nothing at warning or above and is not
// inconclusive. `node tooling/fuzz/scan-mutants.mjs OUT/index.json` (after `pnpm build`).
import { readFileSync } from "node:fs";

const { buildRegistry, resolveConfig, scan } = await import("../../packages/core/dist/engine/index.js");
const { default: preset } = await import("../../presets/recommended/dist/index.js");

const registry = buildRegistry([preset]);
const config = resolveConfig({ timeout: 20 });
const index = JSON.parse(readFileSync(process.argv[2], "utf8"));
const counts = { mutants: index.length, live: 0, critical: 0, warning: 0, inconclusive: 0, missed: 0 };
for (const entry of index) {
  if (!entry.danger?.length) continue;
  counts.live++;
  const report = await scan([entry.file], { registry, config });
  const severities = new Set(report.findings.map((finding) => finding.severity));
  if (severities.has("critical")) counts.critical++;
  else if (severities.has("warning")) counts.warning++;
  else if (report.files[0]?.outcome === "inconclusive") counts.inconclusive++;
  else {
    counts.missed++;
    console.log(`MISS ${entry.file} (from ${entry.source}): the loader reaches ${entry.danger.join(", ")}`);
  }
}
console.log(JSON.stringify(counts));
process.exitCode = counts.missed > 0 ? 1 : 0;

#!/usr/bin/env node
// Regenerates rule documentation from the rules' own metadata (`meta`), so it never drifts from the
// code: the rules table in every plugin README (between <!-- Rule Table Start --> and
// <!-- Rule Table End -->), and docs/rules/ (an index and one page per rule of every first-party
// plugin). The rendering lives in @modelaudit/report, shared with `modelaudit rules <id>` and with the
// test that fails when the checked-in files are stale (apps/cli/test/rules-docs.test.ts).
// Run after `pnpm build`: `pnpm docs:rules`. With --check, exits 1 when a file is out of date;
// --docs-only leaves the plugin READMEs alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "../..");
const check = process.argv.includes("--check");
// --docs-only: docs/rules/ alone, leaving plugin READMEs as they are.
const docsOnly = process.argv.includes("--docs-only");
const reportDist = path.join(root, "packages/report/dist/index.js");
if (!existsSync(reportDist)) {
  console.error("packages/report is not built: run `pnpm build` first");
  process.exit(2);
}
const { pluginRules, renderRuleDocs, RULE_DOCS_DIRECTORY, withRulesTable } = await import(
  pathToFileURL(reportDist).href
);

const expected = new Map();
const allRules = [];
for (const folder of readdirSync(path.join(root, "plugins")).sort()) {
  const dist = path.join(root, "plugins", folder, "dist/index.js");
  if (!existsSync(path.join(root, "plugins", folder, "package.json"))) continue;
  if (!existsSync(dist)) {
    console.error(`plugins/${folder} is not built: run \`pnpm build\` first`);
    process.exit(2);
  }
  const plugin = (await import(pathToFileURL(dist).href)).default;
  const rules = pluginRules(plugin);
  allRules.push(...rules);
  const readmePath = path.join("plugins", folder, "README.md");
  if (!docsOnly && rules.length > 0 && existsSync(path.join(root, readmePath))) {
    expected.set(readmePath, withRulesTable(readFileSync(path.join(root, readmePath), "utf8"), rules));
  }
}
for (const [file, content] of renderRuleDocs(allRules)) expected.set(file, content);

let stale = 0;
for (const [file, content] of expected) {
  const absolute = path.join(root, file);
  if (existsSync(absolute) && readFileSync(absolute, "utf8") === content) continue;
  stale++;
  if (check) console.log(`${file}: out of date`);
  else {
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    console.log(`updated ${file}`);
  }
}
// Pages of rules that no longer exist.
for (const file of listFiles(path.join(root, RULE_DOCS_DIRECTORY))) {
  const relative = path.relative(root, file).split(path.sep).join("/");
  if (expected.has(relative)) continue;
  stale++;
  if (check) console.log(`${relative}: no such rule`);
  else {
    rmSync(file);
    console.log(`removed ${relative}`);
  }
}
if (check && stale > 0) {
  console.log("run `pnpm build && pnpm docs:rules`");
  process.exit(1);
}

function listFiles(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

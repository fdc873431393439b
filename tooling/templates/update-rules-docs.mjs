#!/usr/bin/env node
// Regenerates the rules table in every plugin README from the rules' own metadata (`meta`), between
// <!-- Rule Table Start --> and <!-- Rule Table End -->, so documentation never drifts from the code.
// Run after `pnpm build`: `pnpm docs:rules`. With --check, exits 1 when a README is out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "../..");
const START = "<!-- Rule Table Start -->";
const END = "<!-- Rule Table End -->";
const check = process.argv.includes("--check");
let stale = 0;

for (const folder of readdirSync(path.join(root, "plugins")).sort()) {
  const dist = path.join(root, "plugins", folder, "dist/index.js");
  const readmePath = path.join(root, "plugins", folder, "README.md");
  if (!existsSync(dist) || !existsSync(readmePath)) continue;
  const plugin = (await import(pathToFileURL(dist).href)).default;
  const rules = Object.entries(plugin.rules ?? {});
  if (rules.length === 0) continue;
  const escapeCell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
  const table = [
    "| rule id | severity | recommended | description |",
    "|---|---|---|---|",
    ...rules
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([name, rule]) =>
          `| \`${plugin.meta.namespace}/${name}\` | ${rule.meta.severity} | ${rule.meta.recommended ? "yes" : "no"} | ${escapeCell(rule.meta.description)} |`,
      ),
  ].join("\n");
  const block = `${START}\n${table}\n${END}`;
  const readme = readFileSync(readmePath, "utf8");
  const updated = readme.includes(START)
    ? readme.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block)
    : `${readme.trimEnd()}\n\n## Rules\n\n${block}\n`;
  if (updated === readme) continue;
  stale++;
  if (check) console.log(`${folder}/README.md: rules table out of date`);
  else {
    writeFileSync(readmePath, updated);
    console.log(`updated plugins/${folder}/README.md`);
  }
}
if (check && stale > 0) process.exit(1);

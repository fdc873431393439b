#!/usr/bin/env node
// Regenerates the README's config reference from core's JSON Schema of the config file
// (packages/core/schema/config.schema.json, itself generated from the parser's constants).
// `pnpm docs:config`; with --check, exits 1 when the README is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, withConfigReference } from "./config-reference.mjs";

const readmePath = path.join(ROOT, "README.md");
const current = readFileSync(readmePath, "utf8");
const updated = withConfigReference(current);
if (process.argv.includes("--check")) {
  if (updated !== current) {
    console.error("README.md: the config reference is out of date; run pnpm docs:config");
    process.exit(1);
  }
} else if (updated !== current) {
  writeFileSync(readmePath, updated);
  console.log("README.md: config reference updated");
}

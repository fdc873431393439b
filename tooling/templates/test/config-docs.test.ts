import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { END, ROOT, renderConfigReference, SCHEMA_FILE, START, withConfigReference } from "../config-reference.mjs";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));

it("the README's config reference is the one generated from the schema (pnpm docs:config)", () => {
  expect(withConfigReference(readme)).toBe(readme);
});

it("lists every key and limit of the schema, with its meaning", () => {
  const section = readme.slice(readme.indexOf(START), readme.indexOf(END));
  for (const key of Object.keys(schema.properties).filter((key) => key !== "$schema")) {
    expect(section).toContain(`| \`${key}\``);
  }
  for (const [limit, property] of Object.entries(schema.properties.limits.properties as Record<string, object>)) {
    expect(section).toMatch(new RegExp(`\\| \`limits\\.${limit}\`.*\\| \\S.*default`));
    expect(property).toHaveProperty("description");
  }
});

it("renders a changed schema differently, so a stale README cannot pass", () => {
  const changed = structuredClone(schema);
  changed.properties.failOn.description = "Something else.";
  expect(renderConfigReference(changed)).not.toBe(renderConfigReference(schema));
  expect(() => withConfigReference("no markers here")).toThrow(/markers are missing/);
});

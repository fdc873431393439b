import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, workspacePackages } from "../workspace-packages.mjs";

const packages = workspacePackages();

it("keeps presets in presets/, beside plugins/, and libraries alone in packages/", () => {
  const presets = packages.filter(({ manifest }) => /(^|\/)preset-/.test(manifest.name));
  expect(presets.map(({ dir }) => dir)).toEqual(["presets/recommended"]);
  for (const { dir } of packages) expect(dir).not.toMatch(/^packages\/preset/);
});

const pluginsWithRules = readdirSync(path.join(ROOT, "plugins")).filter((folder) =>
  existsSync(path.join(ROOT, "plugins", folder, "src/rules")),
);

describe.each(pluginsWithRules)("plugins/%s", (folder) => {
  const source = path.join(ROOT, "plugins", folder, "src");
  const rules = readdirSync(path.join(source, "rules"))
    .filter((file) => file.endsWith(".ts") && file !== "index.ts")
    .map((file) => file.slice(0, -3));

  it("writes each rule's name once, in its own file", () => {
    const repeats: string[] = [];
    for (const rule of rules) {
      const own = readFileSync(path.join(source, "rules", `${rule}.ts`), "utf8");
      if (!own.includes(`name: "${rule}"`)) repeats.push(`${rule}: its file does not name it`);
    }
    // A rule map keyed by name (`rules: { "dangerous-global": dangerousGlobal }`) or a list of names
    // (`rules: ["dangerous-global"]`, `FOO_RULES = ["..."]`) repeats them.
    const modules = readdirSync(source).filter((file) => file.endsWith(".ts"));
    for (const file of modules) {
      const text = readFileSync(path.join(source, file), "utf8");
      const maps = text.match(/rules:\s*\{[^}]*\}/g) ?? [];
      const lists = text.match(/(?:rules:|_RULES\s*=)\s*\[[^\]]*\]/g) ?? [];
      for (const rule of rules) {
        if (maps.some((map) => new RegExp(`[\\s{,]"?${rule}"?\\s*:`).test(map))) repeats.push(`${file} maps ${rule}`);
        if (lists.some((list) => list.includes(`"${rule}"`))) repeats.push(`${file} lists ${rule}`);
      }
    }
    expect(repeats).toEqual([]);
  });
});

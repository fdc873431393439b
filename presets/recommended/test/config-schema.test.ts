import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Plugin } from "@modelaudit/core";
import { configJsonSchema } from "@modelaudit/core/engine";
import { loadOptionsSchema, type OptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// The JSON Schema editors complete modelaudit.config.json with ships in core; the options of each
// built-in plugin are added here, where every plugin is a dependency. UPDATE_SNAPSHOTS=1 regenerates it.
const SCHEMA_FILE = createRequire(import.meta.url).resolve("@modelaudit/core/schema/config.schema.json");
const plugins: readonly Plugin[] = preset.plugins;

type ObjectSchema = {
  properties: Record<string, ObjectSchema & Record<string, unknown>>;
  additionalProperties?: unknown;
};

describe("config JSON Schema with the built-in plugins' options", () => {
  it("is checked in as generated from the plugins' own schemas", async () => {
    const generated = await configJsonSchema(plugins);
    if (process.env.UPDATE_SNAPSHOTS) await writeFile(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);
    // Compared as data: the file is formatted by biome, not by JSON.stringify.
    expect(JSON.parse(await readFile(SCHEMA_FILE, "utf8"))).toEqual(generated);
  });

  it("describes every plugin that reads options: its keys, with types and descriptions, and no unknown keys", async () => {
    const options = ((await configJsonSchema(plugins)) as ObjectSchema).properties.options as ObjectSchema;
    const described = plugins.filter((plugin) => plugin.optionsSchema).map((plugin) => plugin.meta.namespace);
    // Every detector with options: a plugin that reads options must say which.
    expect(described.sort()).toEqual([
      "archive-safety",
      "backdoor",
      "binary",
      "code-execution",
      "crypto",
      "custom-ops",
      "dp",
      "jit",
      "network",
      "pii",
      "quantization",
      "secrets",
      "stego",
      "supply-chain",
      "template-injection",
    ]);
    expect(plugins.filter((plugin) => plugin.validateOptions).map((plugin) => plugin.meta.name)).toEqual([]);
    for (const namespace of described) {
      const schema = options.properties[namespace as string] as ObjectSchema;
      expect(schema.additionalProperties, namespace).toBe(false);
      for (const [key, property] of Object.entries(schema.properties)) {
        expect(property.description, `${namespace}.${key}`).toEqual(expect.any(String));
        expect(property.type ?? property.enum ?? property.anyOf, `${namespace}.${key}`).toBeDefined();
      }
    }
    expect(options.properties["supply-chain"]?.properties.licenses?.properties.use).toMatchObject({
      enum: ["commercial", "non-commercial", "research"],
    });
  });

  it("is what validates: unknown keys, bad regexes and bad digests name the key path", async () => {
    const schemas = new Map<string, OptionsSchema | undefined>();
    for (const plugin of plugins)
      schemas.set(plugin.meta.namespace ?? "", await loadOptionsSchema(plugin.optionsSchema));
    const problems = (namespace: string, value: Record<string, unknown>) =>
      optionProblems(schemas.get(namespace)!, value);
    expect(problems("code-execution", { allowx: [] })).toEqual(["allowx: unknown option (known: allow, deny)"]);
    expect(problems("secrets", { patterns: [{ id: "x", regex: "(" }] })).toEqual([
      "patterns[0].regex: Invalid regular expression: /(/g: Unterminated group",
    ]);
    expect(problems("pii", { allow: ["/[/"] })).toEqual([
      "allow[0]: Invalid regular expression: /[/: Unterminated character class",
    ]);
    expect(problems("supply-chain", { denySha256: ["abc"] })).toEqual([
      'denySha256[0]: must be a 64-hex SHA-256 digest, got "abc"',
    ]);
    expect(problems("supply-chain", { licenses: { allowd: [] } })).toEqual([
      "licenses.allowd: unknown option (known: allowed, denied, review, use, requireLicense)",
    ]);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, parseConfig } from "../src/config.js";
import { configJsonSchema } from "../src/config-schema.js";
import { DEFAULT_LIMITS } from "../src/limits.js";

const SCHEMA_FILE = new URL("../schema/config.schema.json", import.meta.url);

describe("config JSON Schema", () => {
  it("is checked in as generated (UPDATE_SNAPSHOTS=1 regenerates it)", async () => {
    if (process.env.UPDATE_SNAPSHOTS) await writeFile(SCHEMA_FILE, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    // Compared as data: the file is formatted by biome, not by JSON.stringify.
    expect(JSON.parse(await readFile(SCHEMA_FILE, "utf8"))).toEqual(configJsonSchema());
  });

  it("names exactly the keys the parser accepts", () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: object }> };
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(Object.keys(schema.properties.limits?.properties ?? {}).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    for (const key of Object.keys(schema.properties))
      expect(() => parseConfig({ [`${key}x`]: 1 })).toThrow(/unknown field/);
  });
});

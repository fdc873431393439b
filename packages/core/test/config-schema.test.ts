import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, parseConfig } from "../src/config.js";
import { configJsonSchema } from "../src/config-schema.js";
import { DEFAULT_LIMITS } from "../src/limits.js";

const SCHEMA_FILE = new URL("../schema/config.schema.json", import.meta.url);

describe("config JSON Schema", () => {
  it("is checked in as generated, apart from the plugins' options", async () => {
    // The options of each built-in plugin are added by presets/recommended's test (UPDATE_SNAPSHOTS=1
    // regenerates the file there): core does not depend on its plugins.
    const checkedIn = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(Object.keys(checkedIn.properties.options.properties ?? {}).length).toBeGreaterThan(0);
    delete checkedIn.properties.options.properties;
    // Compared as data: the file is formatted by biome, not by JSON.stringify.
    expect(checkedIn).toEqual(await configJsonSchema());
  });

  it("names exactly the keys the parser accepts", async () => {
    const schema = (await configJsonSchema()) as { properties: Record<string, { properties?: object }> };
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(Object.keys(schema.properties.limits?.properties ?? {}).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    for (const key of Object.keys(schema.properties))
      expect(() => parseConfig({ [`${key}x`]: 1 })).toThrow(/unknown field/);
  });
});

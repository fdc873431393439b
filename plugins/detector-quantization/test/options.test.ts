import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin, { defaultOptions, readOptions } from "../src/index.js";

/** What the engine reports for this plugin's options, from the schema the plugin declares. */
// The schema the plugin's loader imports, as the engine does for a config that sets these options.
const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);

describe("options.quantization", () => {
  it("accepts the known options and names every bad one", () => {
    expect(validateOptions({})).toEqual([]);
    expect(validateOptions({ maxScale: 100, maxSaturation: 0.2, maxFindingsPerRule: 5 })).toEqual([]);
    expect(validateOptions({ maxscale: 1 })).toEqual([
      "maxscale: unknown option (known: maxScale, maxSaturation, maxFindingsPerRule)",
    ]);
    expect(validateOptions({ maxScale: -1 })).toEqual(["maxScale: expected a positive number, got -1"]);
    expect(validateOptions({ maxSaturation: 2 })).toEqual(["maxSaturation: expected a fraction in (0, 1], got 2"]);
    expect(validateOptions({ maxFindingsPerRule: 1.5 })).toEqual([
      "maxFindingsPerRule: expected a positive integer, got 1.5",
    ]);
  });

  it("fills defaults and falls back on invalid values", () => {
    expect(readOptions({})).toEqual(defaultOptions);
    expect(readOptions({ maxScale: 5, maxSaturation: 7 })).toEqual({ ...defaultOptions, maxScale: 5 });
  });
});

import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin, { defaultOptions, readOptions } from "../src/index.js";

/** What the engine reports for this plugin's options, from the schema the plugin declares. */
// The schema the plugin's loader imports, as the engine does for a config that sets these options.
const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);

describe("options.dp", () => {
  it("accepts the known options and names every bad one", () => {
    expect(validateOptions({})).toEqual([]);
    expect(validateOptions({ epsilonBudget: 3, defaultDelta: 1e-6, maxFindingsPerRule: 4 })).toEqual([]);
    expect(validateOptions({ budget: 3 })).toEqual([
      "budget: unknown option (known: epsilonBudget, defaultDelta, maxFindingsPerRule)",
    ]);
    expect(validateOptions({ epsilonBudget: 0 })).toEqual(["epsilonBudget: expected a positive number, got 0"]);
    expect(validateOptions({ defaultDelta: 1 })).toEqual(["defaultDelta: expected a probability below 1, got 1"]);
  });

  it("fills defaults and falls back on invalid values", () => {
    expect(readOptions({})).toEqual(defaultOptions);
    expect(readOptions({ epsilonBudget: 8, defaultDelta: 5 })).toEqual({ ...defaultOptions, epsilonBudget: 8 });
  });
});

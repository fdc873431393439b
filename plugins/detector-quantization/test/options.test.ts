import { describe, expect, it } from "vitest";
import plugin, { defaultOptions, readOptions } from "../src/index.js";

describe("options.quantization", () => {
  it("accepts the known options and names every bad one", () => {
    expect(plugin.validateOptions({})).toEqual([]);
    expect(plugin.validateOptions({ maxScale: 100, maxSaturation: 0.2, maxFindingsPerRule: 5 })).toEqual([]);
    expect(plugin.validateOptions({ maxscale: 1 })).toEqual([
      "maxscale: unknown option (known: maxScale, maxSaturation, maxFindingsPerRule)",
    ]);
    expect(plugin.validateOptions({ maxScale: -1 })).toEqual(["maxScale: expected a positive number, got -1"]);
    expect(plugin.validateOptions({ maxSaturation: 2 })).toEqual([
      "maxSaturation: expected a fraction in (0, 1], got 2",
    ]);
    expect(plugin.validateOptions({ maxFindingsPerRule: 1.5 })).toEqual([
      "maxFindingsPerRule: expected a positive integer, got 1.5",
    ]);
  });

  it("fills defaults and falls back on invalid values", () => {
    expect(readOptions({})).toEqual(defaultOptions);
    expect(readOptions({ maxScale: 5, maxSaturation: 7 })).toEqual({ ...defaultOptions, maxScale: 5 });
  });
});

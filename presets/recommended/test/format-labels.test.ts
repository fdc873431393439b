import { FORMATS, type Plugin } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

describe("well-known format labels", () => {
  const plugins: readonly Plugin[] = preset.plugins;
  const ids = plugins.flatMap((plugin) => (plugin.formats ?? []).map((handler) => handler.id));

  it("every first-party handler id is one of core's FORMATS, so detectors can spell it", () => {
    const known = new Set<string>(Object.values(FORMATS));
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
  });

  it("no two handlers share an id and no two FORMATS keys share a label", () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(Object.values(FORMATS)).size).toBe(Object.keys(FORMATS).length);
  });
});

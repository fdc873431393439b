import { checkManifest } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import manifest from "../src/manifest.js";

describe("manifest", () => {
  it("is the plugin with the detector's code imported on first need", async () => {
    expect(manifest.detectors.map((detector) => typeof detector.load)).toEqual(["function"]);
    expect(await checkManifest(manifest, plugin)).toEqual([]);
  });
});

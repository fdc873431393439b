import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is @modelaudit/detector-remote-code under the remote-code namespace", () => {
    expect(plugin.meta).toMatchObject({ name: "@modelaudit/detector-remote-code", namespace: "remote-code" });
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });
});

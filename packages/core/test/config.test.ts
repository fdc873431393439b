import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, resolveConfig } from "../src/config.js";
import { DEFAULT_LIMITS } from "../src/limits.js";
import { exitCodeFor, type FileEntry } from "../src/report.js";

describe("config", () => {
  it("parses a valid config and merges later over earlier", () => {
    const fromFile = parseConfig({
      plugins: ["a"],
      rules: { "x/y": "off" },
      failOn: "critical",
      limits: { maxDepth: 3 },
    });
    const resolved = resolveConfig(fromFile, { rules: { "x/z": "info" }, level: "quick" });
    expect(resolved).toMatchObject({
      // Named plugins add to the recommended preset.
      plugins: ["@modelaudit/preset-recommended", "a"],
      rules: { "x/y": "off", "x/z": "info" },
      failOn: "critical",
      level: "quick",
      limits: { ...DEFAULT_LIMITS, maxDepth: 3 },
    });
  });

  it.each([
    [[], /expected a JSON object/],
    [{ unknown: 1 }, /unknown field "unknown"/],
    [{ failOn: "high" }, /failOn/],
    [{ rules: { a: "loud" } }, /rules\["a"\]/],
    [{ limits: { maxDepth: -1 } }, /maxDepth/],
    [{ limits: { nope: 1 } }, /unknown limit/],
    [{ plugins: "x" }, /plugins/],
  ])("rejects %j", (value, message) => {
    expect(() => parseConfig(value)).toThrow(ConfigError);
    expect(() => parseConfig(value)).toThrow(message);
  });
});

describe("exit codes", () => {
  const file = (outcome: FileEntry["outcome"], reasons: string[] = []): FileEntry => ({
    path: "f",
    size: 1,
    formats: [],
    sha256: null,
    outcome,
    reasons,
    members: 0,
    durationMs: 0,
  });
  it("is 0 when clean, 2 when inconclusive or nothing scanned, 1 for findings at the threshold", () => {
    expect(exitCodeFor([file("clean")], [], "warning")).toBe(0);
    expect(exitCodeFor([file("inconclusive", ["x"])], [], "warning")).toBe(2);
    expect(exitCodeFor([], [], "warning")).toBe(2);
    const info = { severity: "info" } as never;
    expect(exitCodeFor([file("findings")], [info], "warning")).toBe(0);
    expect(exitCodeFor([file("findings")], [info], "info")).toBe(1);
  });
});

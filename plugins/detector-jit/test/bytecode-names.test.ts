import { describe, expect, it } from "vitest";
import { analyzeBytecodeNames } from "../src/index.js";

describe("python-bytecode names", () => {
  it.each([
    [["__import__", "os", "system", "echo modelaudit"], "dangerous-call", "critical"],
    [["os.system", "echo x"], "dangerous-call", "critical"],
    [["subprocess", "Popen", "check_output"], "dangerous-call", "critical"],
    [["exec", "data"], "dangerous-call", "critical"],
    [["socket", "connect", "10.0.0.1"], "dangerous-call", "critical"],
    [["open", "write", "/tmp/out"], "dangerous-call", "critical"],
    [["requests", "post", "https://x.invalid"], "dangerous-call", "critical"],
    [["ctypes", "CDLL", "libc.so.6"], "native-library-load", "critical"],
    [["subprocess"], "dangerous-import", "warning"],
    [["__import__", "json"], "dangerous-call", "warning"],
  ] as const)("%j → %s %s", (names, rule, severity) => {
    const issues = analyzeBytecodeNames(names, "");
    expect(issues.some((issue) => issue.rule === rule && issue.severity === severity)).toBe(true);
    for (const issue of issues) expect(issue.evidence.length).toBeGreaterThan(0);
  });

  it.each([
    [["x", "tf", "reduce_mean", "axis"]],
    [["K", "backend", "square", "sqrt", "x", "y"]],
    [["x", "system_prompt"]],
    [["inputs", "tf", "nn", "relu", "open_set"]],
    [[]],
  ])("%j → clean", (names) => {
    expect(analyzeBytecodeNames(names, "")).toEqual([]);
  });

  it("falls back to the text summary when there are no names", () => {
    expect(analyzeBytecodeNames([], "LOAD_GLOBAL os; LOAD_ATTR system; CALL").length).toBeGreaterThan(0);
  });
});

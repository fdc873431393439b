import { describe, expect, it } from "vitest";
import { hasJinjaTag } from "../src/text-templates.js";

describe("hasJinjaTag", () => {
  it.each([
    ["{{ x }}", true],
    ["a {% for m in messages %} b", true],
    ["{{\n}}", false],
    ["{ x }", false],
    ["{%", false],
    ["}} {{", false],
    ["{{ a }", false],
    ["x {{ y\n}} {{ z }}", true],
  ])("%j → %s", (text, expected) => {
    expect(hasJinjaTag(text)).toBe(expected);
  });

  // A hang guard, not a speed test: quadratic scanning of these million openings takes hours.
  it("stays linear on hostile text (a million openings, no closing)", () => {
    const started = performance.now();
    expect(hasJinjaTag("{{".repeat(1_000_000))).toBe(false);
    expect(hasJinjaTag(`${"{%".repeat(500_000)}\n%}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

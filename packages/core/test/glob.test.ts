import { describe, expect, it } from "vitest";
import { globMatcher, ignoreMatcher } from "../src/engine/glob.js";

describe("globMatcher (picomatch, relative to a root)", () => {
  it.each([
    // Without a slash: a base name at any depth.
    ["*.log", "a/b/c.log", true],
    ["*.log", "a/b/c.txt", false],
    ["vendor", "x/vendor", true],
    ["vendor", "x/vendor-2", false],
    ["data?.bin", "data1.bin", true],
    ["data?.bin", "data10.bin", false],
    ["*.{pkl,pt}", "deep/model.pt", true],
    ["[ab].bin", "b.bin", true],
    ["[ab].bin", "c.bin", false],
    // With a slash: from the root only.
    ["tests/**", "tests/a/b.pkl", true],
    ["tests/**", "src/tests/a.pkl", false],
    ["tests/*.pkl", "tests/a.pkl", true],
    ["tests/*.pkl", "tests/sub/a.pkl", false],
    ["/abs/models/**/*.bin", "/abs/models/x/a.bin", true],
    ["./tests/*.pkl", "tests/a.pkl", true],
    ["**/cache", "a/b/cache", true],
    ["**/cache", "cache", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    // Dotfiles are names like any other.
    ["*.pkl", "a/.hidden.pkl", true],
    ["tests/**", "tests/.fixtures/x.pkl", true],
    ["**/.git", "repo/.git", true],
    // Backslashes in the path (a Windows relative path) are separators.
    ["tests/*.pkl", "tests\\a.pkl", true],
  ])("%s matches %s: %s", (pattern, file, expected) => {
    expect(globMatcher(pattern)(file)).toBe(expected);
  });
});

describe("ignoreMatcher", () => {
  it("names the pattern that ignored a path, or undefined", () => {
    const ignoredBy = ignoreMatcher(["*.log", "tests/**"]);
    expect(ignoredBy("a/run.log")).toBe("*.log");
    expect(ignoredBy("tests/x.pkl")).toBe("tests/**");
    expect(ignoredBy("src/model.pkl")).toBeUndefined();
    // A leading slash anchors at the scan root, as in .gitignore.
    expect(ignoreMatcher(["/tests/*.pkl"])("tests/a.pkl")).toBe("/tests/*.pkl");
  });

  it("lets a later !pattern bring a path back, in order", () => {
    const ignoredBy = ignoreMatcher(["tests/*", "!tests/keep.pkl"]);
    expect(ignoredBy("tests/drop.pkl")).toBe("tests/*");
    expect(ignoredBy("tests/keep.pkl")).toBeUndefined();
    // A pattern after the negation ignores it again.
    expect(ignoreMatcher(["tests/*", "!tests/keep.pkl", "*.pkl"])("tests/keep.pkl")).toBe("*.pkl");
  });

  it("never ignores everything for a lone !pattern (picomatch alone would match all other paths)", () => {
    const ignoredBy = ignoreMatcher(["!model.pkl"]);
    expect(ignoredBy("model.pkl")).toBeUndefined();
    expect(ignoredBy("other.pkl")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { canonicalMemberName, classifyLinkTarget, classifyMemberName } from "../src/member-paths.js";

describe("classifyMemberName", () => {
  it.each([
    ["../../evil.sh", "escapes"],
    ["a/../../x", "escapes"],
    ["..\\..\\x", "escapes"],
    ["a\\..\\..\\x", "escapes"],
    ["..", "escapes"],
    ["/etc/x", "absolute"],
    ["\\etc\\x", "absolute"],
    ["C:/x", "drive-letter"],
    ["c:x", "drive-letter"],
    ["C:\\Windows\\x", "drive-letter"],
    ["\\\\server\\share\\x", "unc"],
    ["//server/share/x", "unc"],
    ["a/../b", "parent-inside"],
  ])("flags %j as %s", (name, problem) => {
    expect(classifyMemberName(name)).toBe(problem);
  });

  it.each(["model/weights.bin", "a/./b", "a..b/c", "..hidden", "dir/", "x/..y", "config.json"])(
    "accepts %j",
    (name) => {
      expect(classifyMemberName(name)).toBeNull();
    },
  );
});

describe("classifyLinkTarget", () => {
  it.each([
    ["model/passwd", "symlink", "/etc/passwd", "system"],
    ["model/x", "symlink", "/opt/data", "absolute"],
    ["model/x", "symlink", "C:\\Windows\\system32", "system"],
    ["model/up", "symlink", "../../../etc", "escapes"],
    ["model/up", "symlink", "../../x", "escapes"],
    ["model/shadow", "hardlink", "../../etc/shadow", "escapes"],
    ["model/x", "hardlink", "../x", "escapes"],
  ] as const)("%s (%s) -> %s is %s", (name, type, target, problem) => {
    expect(classifyLinkTarget(name, type, target)).toBe(problem);
  });

  it.each([
    ["model/latest", "symlink", "weights.bin"],
    ["model/latest", "symlink", "../model/weights.bin"],
    ["a/b/c", "symlink", "../../x"],
    ["model/copy.txt", "hardlink", "model/weights.txt"],
  ] as const)("%s (%s) -> %s stays inside", (name, type, target) => {
    expect(classifyLinkTarget(name, type, target)).toBeNull();
  });

  it("resolves hardlinks from the archive root and symlinks from their directory", () => {
    expect(classifyLinkTarget("a/b/link", "symlink", "../x")).toBeNull();
    expect(classifyLinkTarget("a/b/link", "hardlink", "../x")).toBe("escapes");
  });
});

describe("canonicalMemberName", () => {
  it("maps names extraction tools write to the same file onto one key", () => {
    const same = [
      "model/config.json",
      "model/./config.json",
      "model//config.json",
      "model\\config.json",
      "./model/config.json",
    ];
    expect(new Set(same.map(canonicalMemberName))).toEqual(new Set(["model/config.json"]));
    expect(canonicalMemberName("dir/")).toBe(canonicalMemberName("dir"));
    expect(canonicalMemberName("caf\u00e9")).toBe(canonicalMemberName("cafe\u0301"));
    expect(canonicalMemberName("./")).toBe("");
  });
  it("keeps different files apart", () => {
    expect(canonicalMemberName("a/b")).not.toBe(canonicalMemberName("a/c"));
    expect(canonicalMemberName("A.txt")).not.toBe(canonicalMemberName("a.txt"));
  });
});

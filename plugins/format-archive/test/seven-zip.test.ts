import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { anomalies, entries, fixture, handlers } from "./helpers.js";

const payload = fixture("payload.pkl");

describe("7z handler", () => {
  it.each(["solid-lzma2.7z", "solid-lzma.7z"])(
    "%s: every file of the solid folder, and the empty directory",
    async (file) => {
      const result = await parseWith(handlers, file, fixture(file));
      expect(result.formats).toContain("7z");
      const listed = entries(result.facts).map((fact) => [fact.name, fact.type]);
      expect(listed).toContainEqual(["payload.pkl", "file"]);
      expect(listed).toContainEqual(["empty-dir", "directory"]);
      expect(result.children.find((child) => child.chain[0] === "payload.pkl")?.bytes).toEqual(payload);
      expect(result.children).toHaveLength(2);
      expect(result.inconclusive).toEqual([]);
    },
  );

  it("a truncated 7z is inconclusive", async () => {
    const whole = fixture("solid-lzma.7z");
    const result = await parseWith(handlers, "cut.7z", whole.subarray(0, 400));
    expect(result.inconclusive.join("\n")).toMatch(/7z/);
    expect(anomalies(result.facts).some((fact) => fact.code === "truncated")).toBe(true);
  });
});

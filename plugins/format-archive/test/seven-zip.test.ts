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
      // Each entry names the reading that listed it (a source may be read as several containers).
      expect(entries(result.facts).every((fact) => fact.container === "7z")).toBe(true);
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

describe("7z behind a prefix (self-extracting style)", () => {
  const archive = fixture("solid-lzma2.7z");
  const prefix = Uint8Array.from({ length: 4096 }, (_, index) => (index * 131 + 7) % 251);
  const bytes = new Uint8Array([...prefix, ...archive]);

  it("is found by its checked start header and its members scanned, whatever the file's name", async () => {
    for (const name of ["setup.exe", "weights.data"]) {
      const result = await parseWith(handlers, name, bytes);
      expect(result.formats, name).toContain("7z");
      expect(
        anomalies(result.facts)
          .map((fact) => fact.message)
          .join("\n"),
      ).toMatch(/starts at offset 4096/);
      expect(result.children.find((child) => child.chain.at(-1) === "payload.pkl")?.bytes, name).toEqual(payload);
    }
  });

  it("a signature without a valid start header is not an archive", async () => {
    const forged = bytes.slice();
    forged[4096 + 12] = (forged[4096 + 12] as number) ^ 0xff;
    const result = await parseWith(handlers, "setup.exe", forged);
    expect(result.formats).not.toContain("7z");
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALICE, BENIGN, FIXTURES, fileParts, MALICIOUS, type ScanBody, scanFiles, startServer } from "./helpers.js";

const PICKLE_FIXTURES = path.join(FIXTURES, "pickle");

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
}

type Report = NonNullable<ScanBody["report"]> & { level: string; failOn: string; files: { sha256: string | null }[] };

async function manifest(): Promise<ManifestEntry[]> {
  return JSON.parse(await readFile(path.join(PICKLE_FIXTURES, "manifest.json"), "utf8")) as ManifestEntry[];
}

describe("verdicts through the service", () => {
  it("gives every hostile pickle fixture an outcome matching its manifest, in one upload", async () => {
    const { url } = await startServer();
    const entries = await manifest();
    const scan = await scanFiles(
      url,
      ALICE,
      await fileParts(...entries.map((entry) => path.join(PICKLE_FIXTURES, entry.file))),
    );
    expect(scan.status).toBe("done");
    const report = scan.report as Report;
    expect(report.files).toHaveLength(entries.length);
    for (const entry of entries) {
      const file = report.files.find((item) => item.path === entry.file);
      expect(file, entry.file).toBeDefined();
      const rules = new Set(report.findings.filter((item) => item.file === entry.file).map((item) => item.ruleId));
      for (const rule of entry.rules) expect(rules.has(rule), `${entry.file} → ${rule}`).toBe(true);
      if (entry.expect === "inconclusive") expect(file?.outcome, entry.file).toBe("inconclusive");
      if (entry.expect === "clean") {
        const serious = report.findings.filter((item) => item.file === entry.file && item.severity !== "info");
        expect(serious, entry.file).toEqual([]);
      }
    }
  });

  it("scans random, truncated and empty bytes to an outcome, not a failure", async () => {
    const { url } = await startServer();
    const malicious = await readFile(MALICIOUS);
    let seed = 12345;
    const random = Buffer.alloc(4096);
    for (let index = 0; index < random.length; index++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      random[index] = seed & 0xff;
    }
    const scan = await scanFiles(url, ALICE, [
      { name: "file", filename: "noise.pkl", content: random },
      { name: "file", filename: "truncated.pkl", content: malicious.subarray(0, malicious.length - 7) },
      { name: "file", filename: "empty.bin", content: Buffer.alloc(0) },
    ]);
    expect(scan.status).toBe("done");
    expect(scan.report?.files.map((file) => file.path)).toEqual(["empty.bin", "noise.pkl", "truncated.pkl"]);
    for (const file of scan.report?.files ?? []) expect(["clean", "findings", "inconclusive"]).toContain(file.outcome);
  });

  it("honours the level and failOn fields", async () => {
    const { url } = await startServer();
    const parts = await fileParts(BENIGN);
    const quick = await scanFiles(url, ALICE, [{ name: "level", content: "quick" }, ...parts]);
    const thorough = await scanFiles(url, ALICE, [...parts, { name: "level", content: "thorough" }]);
    expect([(quick.report as Report).level, (thorough.report as Report).level]).toEqual(["quick", "thorough"]);
    // The quick level reads structure only, so it does not hash.
    expect((quick.report as Report).files[0]?.sha256).toBeNull();
    expect((thorough.report as Report).files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const warningOnly = (await manifest()).find(
      (entry) => entry.expect === "findings" && entry.maxSeverity === "warning",
    );
    const warningParts = await fileParts(path.join(PICKLE_FIXTURES, warningOnly?.file ?? ""));
    const byDefault = await scanFiles(url, ALICE, warningParts);
    const critical = await scanFiles(url, ALICE, [...warningParts, { name: "failOn", content: "critical" }]);
    expect(byDefault.exitCode).toBe(1);
    expect((critical.report as Report).failOn).toBe("critical");
    expect(critical.exitCode).toBe(0);
  });
});

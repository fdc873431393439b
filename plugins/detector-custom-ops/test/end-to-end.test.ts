import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The archive handler is a dev dependency only: the detector itself knows no format.
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures/archives");

describe("with the archive handler over tooling/fixtures/archives", () => {
  const manifest = existsSync(fixtures)
    ? (JSON.parse(readFileSync(path.join(fixtures, "manifest.json"), "utf8")) as { file: string }[])
    : [];

  it("finds the native libraries shipped in zips, and nothing else", async () => {
    const report = await scanPaths(
      manifest.map((entry) => path.join(fixtures, entry.file)),
      [archive, plugin],
    );
    expect(
      report.findings
        .map((finding) => `${path.basename(finding.file)} ${finding.severity} ${finding.ruleId} ${finding.message}`)
        .sort(),
    ).toEqual([
      "macho_in_zip.zip critical custom-ops/native-library The model ships native library lib/libmodel.dylib",
      expect.stringMatching(
        /^shared_library_in_zip\.zip critical custom-ops\/native-library The model ships native library .+\.so/,
      ),
    ]);
  });
});

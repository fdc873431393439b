import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The archive handler's built dist, by path: a test-only dependency that keeps this package free of
// format knowledge. Skipped when it has not been built.
const archiveDist = path.resolve(import.meta.dirname, "../../format-archive/dist/index.js");
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures/archives");

describe.skipIf(!existsSync(archiveDist) || !existsSync(fixtures))(
  "with the archive handler over tooling/fixtures/archives",
  () => {
    const manifest = existsSync(fixtures)
      ? (JSON.parse(readFileSync(path.join(fixtures, "manifest.json"), "utf8")) as { file: string }[])
      : [];

    it("finds the native libraries shipped in zips, and nothing else", async () => {
      const archive = (await import(archiveDist)).default as Plugin;
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
  },
);

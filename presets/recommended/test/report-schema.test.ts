import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import { toJson } from "@modelaudit/report";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// The JSON report of real scans (every fixture family: clean, findings, inconclusive, nested
// members) must validate against the schema shipped in @modelaudit/report.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@modelaudit/report/schema/report.schema.json");
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaPath, "utf8")));
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

describe("JSON reports of real scans", () => {
  it("validate against report.schema.json", async () => {
    const report = await scanPaths([fixtures, path.resolve(import.meta.dirname, "../../../examples")], [preset]);
    expect(report.summary.outcomes.findings).toBeGreaterThan(0);
    expect(report.summary.outcomes.inconclusive).toBeGreaterThan(0);
    expect(report.findings.some((finding) => finding.memberChain.length > 0)).toBe(true);
    const json = JSON.parse(toJson(report));
    const valid = validate(json);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).toEqual([]);
    expect(valid).toBe(true);
  }, 120_000);
});

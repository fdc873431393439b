import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { describe, expect, it } from "vitest";
import { EXAMPLES, fileParts, postScan, startServer } from "./helpers.js";

const MALICIOUS = path.join(EXAMPLES, "malicious/dotted-name-bypass.pkl");
const BENIGN = path.join(EXAMPLES, "benign/object-array.npy");

describe("stored scans", () => {
  it("renders a stored scan as SARIF 2.1.0 with our rule ids and the uploaded name", async () => {
    const { app } = await startServer();
    const { id } = (await postScan(app, await fileParts(MALICIOUS))).json<{ id: string }>();
    const response = await app.inject({ method: "GET", url: `/scans/${id}/report?format=sarif` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/sarif\+json/);
    const sarif = response.json();
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    const result = run.results.find((item: { ruleId: string }) => item.ruleId === "code-execution/dangerous-global");
    expect(result.level).toBe("error");
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("dotted-name-bypass.pkl");
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain("code-execution/dangerous-global");
  });

  it("renders json (the stored report) and text", async () => {
    const { app } = await startServer();
    const scanned = (await postScan(app, await fileParts(MALICIOUS))).json<{ id: string; report: Report }>();
    const json = await app.inject({ method: "GET", url: `/scans/${scanned.id}/report` });
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    expect(json.json()).toEqual(scanned.report);
    const text = await app.inject({ method: "GET", url: `/scans/${scanned.id}/report?format=text` });
    expect(text.headers["content-type"]).toMatch(/^text\/plain/);
    expect(text.body).toContain("dotted-name-bypass.pkl");
    expect(text.body).toContain("code-execution/dangerous-global");
    expect(text.body).not.toContain("\u001b[");
    const bad = await app.inject({ method: "GET", url: `/scans/${scanned.id}/report?format=html` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("invalid-format");
  });

  it.each([
    ["an unknown UUID", "/scans/00000000-0000-4000-8000-000000000000"],
    ["a non-UUID id", "/scans/not-a-scan"],
    ["an upper-case UUID", "/scans/00000000-0000-4000-8000-00000000000A"],
    ["an encoded traversal", "/scans/..%2F..%2Fetc%2Fpasswd"],
    ["a traversal as report", "/scans/..%2Fscans/report"],
    ["an unknown report", "/scans/00000000-0000-4000-8000-000000000000/report?format=sarif"],
  ])("answers 404 with a JSON error for %s", async (_, url) => {
    const { app } = await startServer();
    const response = await app.inject({ method: "GET", url });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toMatch(/not-found/);
  });

  it("lists scans newest first, bounded by limit", async () => {
    const { app } = await startServer();
    const ids: string[] = [];
    for (const file of [BENIGN, MALICIOUS, BENIGN]) {
      ids.push((await postScan(app, await fileParts(file))).json<{ id: string }>().id);
      // Distinct timestamps, so the order is the order of the uploads.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const all = (await app.inject({ method: "GET", url: "/scans" })).json();
    expect(all.scans.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    expect(all.scans.map((item: { exitCode: number }) => item.exitCode)).toEqual([0, 1, 0]);
    expect(all.scans[1].files).toEqual(["dotted-name-bypass.pkl"]);
    expect(all.scans[1].findings.critical).toBeGreaterThan(0);
    const two = (await app.inject({ method: "GET", url: "/scans?limit=2" })).json();
    expect(two.scans.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const capped = await app.inject({ method: "GET", url: "/scans?limit=100000" });
    expect(capped.statusCode).toBe(200);
    for (const limit of ["0", "-1", "two", "1.5"]) {
      const response = await app.inject({ method: "GET", url: `/scans?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
    }
  });
});

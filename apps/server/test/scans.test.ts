import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { describe, expect, it } from "vitest";
import { buildServer } from "../src/server.js";
import {
  dataDirectory,
  EXAMPLES,
  fileParts,
  listFiles,
  PICKLE_FIXTURES,
  pickleManifest,
  postScan,
  startServer,
} from "./helpers.js";

const BENIGN = path.join(EXAMPLES, "benign/scaler-svc-pipeline.joblib");
const MALICIOUS = path.join(EXAMPLES, "malicious/dotted-name-bypass.pkl");

interface ScanBody {
  id: string;
  status: string;
  createdAt: string;
  exitCode: number;
  report: Report;
}

describe("POST /scans", () => {
  it("scans a benign upload: exit 0, stored, retrievable, and still there after a restart", async () => {
    const dataDir = await dataDirectory();
    const first = buildServer({ dataDir });
    const response = await postScan(first, await fileParts(BENIGN));
    expect(response.statusCode).toBe(201);
    const body = response.json<ScanBody>();
    expect(body.status).toBe("done");
    expect(body.exitCode).toBe(0);
    expect(response.headers.location).toBe(`/scans/${body.id}`);
    expect(body.report.schemaVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(body.report.tool.name).toBe("@modelaudit/server");
    expect(body.report.files.map((file) => file.path)).toEqual(["scaler-svc-pipeline.joblib"]);
    expect(body.report.files[0]?.outcome).toBe("clean");
    expect(body.report.summary.exitCode).toBe(0);

    const fetched = await first.inject({ method: "GET", url: `/scans/${body.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(body);
    await first.close();

    // A second instance on the same data directory: the result came from disk, not memory.
    const second = buildServer({ dataDir });
    try {
      const again = await second.inject({ method: "GET", url: `/scans/${body.id}` });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(body);
      const listed = await second.inject({ method: "GET", url: "/scans" });
      expect(listed.json().scans).toEqual([
        {
          id: body.id,
          createdAt: body.createdAt,
          exitCode: 0,
          files: ["scaler-svc-pipeline.joblib"],
          findings: body.report.summary.findings,
        },
      ]);
    } finally {
      await second.close();
    }
  });

  it("reports a malicious pickle: exit 1 with code-execution/dangerous-global under the uploaded name", async () => {
    const { app } = await startServer();
    const response = await postScan(app, await fileParts(MALICIOUS));
    expect(response.statusCode).toBe(201);
    const body = response.json<ScanBody>();
    expect(body.exitCode).toBe(1);
    const finding = body.report.findings.find((item) => item.ruleId === "code-execution/dangerous-global");
    expect(finding?.severity).toBe("critical");
    expect(finding?.file).toBe("dotted-name-bypass.pkl");
  });

  it("scans several files in one request, each under its own name", async () => {
    const { app, dataDir } = await startServer();
    const files = [
      BENIGN,
      path.join(EXAMPLES, "benign/linear-state-dict.pt"),
      path.join(EXAMPLES, "malicious/model.safetensors"),
      MALICIOUS,
    ];
    const response = await postScan(app, await fileParts(...files));
    expect(response.statusCode).toBe(201);
    const body = response.json<ScanBody>();
    expect(body.exitCode).toBe(1);
    expect(body.report.files.map((file) => file.path)).toEqual(files.map((file) => path.basename(file)).sort());
    const outcomes = Object.fromEntries(body.report.files.map((file) => [file.path, file.outcome]));
    expect(outcomes).toEqual({
      "dotted-name-bypass.pkl": "findings",
      "linear-state-dict.pt": "clean",
      "model.safetensors": "findings",
      "scaler-svc-pipeline.joblib": "clean",
    });
    // No temporary path anywhere in the stored result.
    const stored = await readFile(path.join(dataDir, "scans", `${body.id}.json`), "utf8");
    expect(stored).not.toContain(path.join(dataDir, "uploads"));
    expect(JSON.stringify(body)).not.toContain(dataDir);
  });

  it("keeps equal names apart within one request", async () => {
    const { app } = await startServer();
    const [benign] = await fileParts(BENIGN);
    const [malicious] = await fileParts(MALICIOUS);
    const response = await postScan(app, [
      { ...benign!, filename: "model.pkl" },
      { ...malicious!, filename: "model.pkl" },
    ]);
    const body = response.json<ScanBody>();
    expect(body.report.files.map((file) => [file.path, file.outcome])).toEqual([
      ["model.pkl", "clean"],
      ["model.pkl (2)", "findings"],
    ]);
    expect(body.report.findings.every((finding) => finding.file === "model.pkl (2)")).toBe(true);
  });

  it("honours the level field", async () => {
    const { app } = await startServer();
    const parts = await fileParts(BENIGN);
    const quick = (await postScan(app, [{ name: "level", content: "quick" }, ...parts])).json<ScanBody>();
    const standard = (await postScan(app, parts)).json<ScanBody>();
    // Fields may also follow the files.
    const thorough = (await postScan(app, [...parts, { name: "level", content: "thorough" }])).json<ScanBody>();
    expect([quick.report.level, standard.report.level, thorough.report.level]).toEqual([
      "quick",
      "standard",
      "thorough",
    ]);
    // The quick level reads structure only, so it does not hash; the others do.
    expect(quick.report.files[0]?.sha256).toBeNull();
    expect(standard.report.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(thorough.report.files[0]?.sha256).toBe(standard.report.files[0]?.sha256);
  });

  it("honours the failOn field", async () => {
    const { app } = await startServer();
    const manifest = await pickleManifest();
    const warningOnly = manifest.find((entry) => entry.expect === "findings" && entry.maxSeverity === "warning");
    expect(warningOnly).toBeDefined();
    const parts = await fileParts(path.join(PICKLE_FIXTURES, warningOnly!.file));
    const byDefault = (await postScan(app, parts)).json<ScanBody>();
    const critical = (await postScan(app, [...parts, { name: "failOn", content: "critical" }])).json<ScanBody>();
    expect(byDefault.report.summary.findings.warning).toBeGreaterThan(0);
    expect(byDefault.exitCode).toBe(1);
    expect(critical.report.failOn).toBe("critical");
    expect(critical.exitCode).toBe(0);
    expect(critical.report.summary.exitCode).toBe(0);
  });

  it("gives every hostile fixture an outcome, never a 500, and matches the manifest", async () => {
    const { app } = await startServer();
    const manifest = await pickleManifest();
    const response = await postScan(
      app,
      await fileParts(...manifest.map((entry) => path.join(PICKLE_FIXTURES, entry.file))),
    );
    expect(response.statusCode).toBe(201);
    const report = response.json<ScanBody>().report;
    expect(report.files).toHaveLength(manifest.length);
    for (const entry of manifest) {
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

  it("scans random and truncated bytes to an outcome, not an error response", async () => {
    const { app } = await startServer();
    const malicious = await readFile(MALICIOUS);
    let seed = 12345;
    const random = Buffer.alloc(4096);
    for (let index = 0; index < random.length; index++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      random[index] = seed & 0xff;
    }
    const response = await postScan(app, [
      { name: "file", filename: "noise.pkl", content: random },
      { name: "file", filename: "truncated.pkl", content: malicious.subarray(0, malicious.length - 7) },
      { name: "file", filename: "empty.bin", content: Buffer.alloc(0) },
    ]);
    expect(response.statusCode).toBe(201);
    const report = response.json<ScanBody>().report;
    expect(report.files.map((file) => file.path)).toEqual(["empty.bin", "noise.pkl", "truncated.pkl"]);
    for (const file of report.files) expect(["clean", "findings", "inconclusive"]).toContain(file.outcome);
  });

  it("leaves the upload directory empty and persists no model bytes", async () => {
    const { app, dataDir } = await startServer({ maxConcurrentScans: 2 });
    const uploads = [BENIGN, MALICIOUS, path.join(EXAMPLES, "malicious/checkpoint-runs-echo.pt")];
    for (const file of uploads) {
      const response = await postScan(app, await fileParts(file));
      expect(response.statusCode).toBe(201);
      expect(await listFiles(path.join(dataDir, "uploads"))).toEqual([]);
    }
    // Also after a refused upload.
    const refused = await postScan(app, [{ name: "file", filename: "..", content: "x" }]);
    expect(refused.statusCode).toBe(400);
    expect(await listFiles(path.join(dataDir, "uploads"))).toEqual([]);

    const stored = await listFiles(dataDir);
    expect(stored).toHaveLength(uploads.length);
    for (const file of stored) expect(file).toMatch(/^scans\/[0-9a-f-]{36}\.json$/);
    for (const file of stored) {
      const bytes = await readFile(path.join(dataDir, file));
      for (const upload of uploads)
        expect(bytes.includes(await readFile(upload)), `${file} holds ${upload}`).toBe(false);
    }
  });

  it("runs concurrent requests through the scan bound", async () => {
    const { app } = await startServer({ maxConcurrentScans: 1 });
    const parts = await fileParts(BENIGN, MALICIOUS);
    const responses = await Promise.all(Array.from({ length: 4 }, () => postScan(app, parts)));
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(responses.map((response) => response.json<ScanBody>().id)).size).toBe(4);
    const health = (await app.inject({ method: "GET", url: "/health" })).json();
    expect(health.scans).toEqual({ running: 0, waiting: 0, capacity: 1 });
  });
});

import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { describe, expect, it } from "vitest";
import { EXAMPLES, fileParts, listFiles, multipart, postScan, startServer } from "./helpers.js";

const MALICIOUS = path.join(EXAMPLES, "malicious/dotted-name-bypass.pkl");

describe("upload limits and names", () => {
  it("refuses a file over maxUploadBytes with 413 and a JSON error, keeping nothing", async () => {
    const { app, dataDir } = await startServer({ maxUploadBytes: 1024 });
    const response = await postScan(app, [
      { name: "file", filename: "small.bin", content: Buffer.alloc(100, 1) },
      { name: "file", filename: "large.bin", content: Buffer.alloc(4096, 1) },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      error: { code: "file-too-large", message: 'file "large.bin" is larger than the upload limit of 1024 bytes' },
    });
    expect(await listFiles(dataDir)).toEqual([]);
  });

  it("accepts a file exactly at the limit", async () => {
    const { app } = await startServer({ maxUploadBytes: 1024 });
    const response = await postScan(app, [{ name: "file", filename: "exact.bin", content: Buffer.alloc(1024, 0x41) }]);
    expect(response.statusCode).toBe(201);
    expect(response.json<{ report: Report }>().report.files[0]?.size).toBe(1024);
  });

  it("refuses more files than maxFiles", async () => {
    const { app } = await startServer({ maxFiles: 2 });
    const parts = Array.from({ length: 3 }, (_, index) => ({ name: "file", filename: `f${index}.bin`, content: "x" }));
    const response = await postScan(app, parts);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("FST_FILES_LIMIT");
  });

  it("keeps only the base name of a path-traversal file name and writes nothing outside the data directory", async () => {
    const { app, dataDir } = await startServer();
    const [malicious] = await fileParts(MALICIOUS);
    const response = await postScan(app, [
      { ...malicious!, filename: "../../../escaped.pkl" },
      { ...malicious!, filename: "..\\..\\windows-escaped.pkl" },
      { ...malicious!, filename: "/etc/absolute.pkl" },
    ]);
    expect(response.statusCode).toBe(201);
    const report = response.json<{ report: Report }>().report;
    expect(report.files.map((file) => file.path)).toEqual(["absolute.pkl", "escaped.pkl", "windows-escaped.pkl"]);
    expect(report.findings.some((finding) => finding.file === "escaped.pkl")).toBe(true);
    const parent = path.dirname(dataDir);
    const siblings = await readdir(parent);
    expect(siblings.filter((name) => name.endsWith("escaped.pkl") || name === "absolute.pkl")).toEqual([]);
    expect((await listFiles(dataDir)).every((file) => file.startsWith("scans/"))).toBe(true);
  });

  it.each([
    ["..", "a bare parent reference"],
    [".", "a bare current directory"],
    ["dir/..", "a path ending in a parent reference"],
    ["evil\u0001name.pkl", "a control character"],
    ["new\u001bline.pkl", "an escape character"],
    ["", "an empty name"],
    ["x".repeat(300), "a name over 255 bytes"],
  ])("refuses the file name %j (%s) with 400", async (filename) => {
    const { app } = await startServer();
    const response = await postScan(app, [{ name: "file", filename, content: "data" }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("invalid-file-name");
    expect(response.body).not.toMatch(/[\u0000-\u001f]/);
  });

  it.each([
    [[{ name: "level", content: "deep" }], "invalid-level"],
    [[{ name: "failOn", content: "error" }], "invalid-fail-on"],
    [[{ name: "colour", content: "red" }], "unexpected-field"],
    [[{ name: "upload", filename: "a.bin", content: "x" }], "unexpected-part"],
    [[], "no-files"],
  ])("refuses a bad form %#", async (extra, code) => {
    const { app } = await startServer();
    const [file] = await fileParts(MALICIOUS);
    const parts = code === "no-files" ? [{ name: "level", content: "quick" }] : [file!, ...extra];
    const response = await postScan(app, parts);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
  });

  it("refuses a body that is not multipart with a JSON error", async () => {
    const { app } = await startServer();
    const response = await app.inject({ method: "POST", url: "/scans", payload: { file: "x" } });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe("not-multipart");
  });

  it("refuses a malformed multipart body with a 4xx, not a 500", async () => {
    const { app, dataDir } = await startServer();
    const { payload, headers } = multipart([{ name: "file", filename: "cut.bin", content: Buffer.alloc(2000, 7) }]);
    const response = await app.inject({ method: "POST", url: "/scans", payload: payload.subarray(0, 500), headers });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().error).toBeDefined();
    expect(await listFiles(path.join(dataDir, "uploads"))).toEqual([]);
  });
});

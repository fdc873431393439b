import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  ALICE,
  auth,
  BENIGN,
  BOB,
  expectNoUploads,
  FIXTURES,
  fileParts,
  get,
  listFiles,
  MALICIOUS,
  scanFiles,
  startServer,
  temporaryDirectory,
  upload,
  waitForScan,
  waitForStatus,
} from "./helpers.js";

const FLAG_CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string } };
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
  }[];
}

describe("API v1 on a loopback port", () => {
  it("scans a benign and a malicious upload asynchronously: right verdicts in JSON and SARIF, uploads gone", async () => {
    const { url, dataDir } = await startServer();
    const created = await upload(url, ALICE, await fileParts(BENIGN));
    expect(created.status).toBe(202);
    const { id, status } = (await created.json()) as { id: string; status: string };
    expect(status).toBe("queued");
    expect(created.headers.get("location")).toBe(`/v1/scans/${id}`);

    const benign = await waitForScan(url, ALICE, id);
    expect(benign).toMatchObject({
      status: "done",
      exitCode: 0,
      attempts: 1,
      error: null,
      inputs: ["scaler-svc-pipeline.joblib"],
    });
    expect(benign.report?.tool.name).toBe("@modelaudit/server");
    expect(benign.report?.files.map((file) => [file.path, file.outcome])).toEqual([
      ["scaler-svc-pipeline.joblib", "clean"],
    ]);
    expect(Date.parse(benign.finishedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(benign.createdAt));

    const malicious = await scanFiles(url, ALICE, await fileParts(MALICIOUS));
    expect(malicious.status).toBe("done");
    expect(malicious.exitCode).toBe(1);
    const finding = malicious.report?.findings.find((item) => item.ruleId === "code-execution/dangerous-global");
    expect(finding?.severity).toBe("critical");
    expect(finding?.file).toBe("dotted-name-bypass.pkl");
    // No server path anywhere in what the client reads.
    expect(JSON.stringify(malicious)).not.toContain(dataDir);

    const sarifResponse = await get(url, ALICE, `/v1/scans/${malicious.id}/sarif`);
    expect(sarifResponse.status).toBe(200);
    expect(sarifResponse.headers.get("content-type")).toContain("application/sarif+json");
    const sarif = (await sarifResponse.json()) as SarifLog;
    expect(sarif.version).toBe("2.1.0");
    const result = sarif.runs[0]?.results.find((item) => item.ruleId === "code-execution/dangerous-global");
    expect(result?.level).toBe("error");
    expect(result?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("dotted-name-bypass.pkl");
    const cleanSarif = (await (await get(url, ALICE, `/v1/scans/${id}/sarif`)).json()) as SarifLog;
    expect(cleanSarif.runs[0]?.results.filter((item) => item.level === "error")).toEqual([]);

    // Uploads are deleted once scanned; only the store remains.
    await expectNoUploads(dataDir);
  });

  it("scans a multi-file upload as one model folder (the shards of a safetensors model together)", async () => {
    const { url } = await startServer();
    const folder = path.join(FIXTURES, "safetensors/sharded-model");
    const whole = await scanFiles(
      url,
      ALICE,
      await fileParts(
        path.join(folder, "model.safetensors.index.json"),
        path.join(folder, "model-00001-of-00002.safetensors"),
        path.join(folder, "model-00002-of-00002.safetensors"),
      ),
    );
    expect(whole.exitCode).toBe(0);
    expect(whole.report?.files.map((file) => file.path).sort()).toEqual([
      "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors",
      "model.safetensors.index.json",
    ]);
    // The index is checked against the shards it was uploaded with: a tensor missing from shard 1 is seen.
    const broken = path.join(FIXTURES, "safetensors/sharded-missing-tensor");
    const partial = await scanFiles(
      url,
      ALICE,
      await fileParts(
        path.join(broken, "model.safetensors.index.json"),
        path.join(broken, "model-00001-of-00002.safetensors"),
        path.join(broken, "model-00002-of-00002.safetensors"),
      ),
    );
    const index = partial.report?.files.find((file) => file.path === "model.safetensors.index.json");
    expect(index?.outcome).toBe("inconclusive");
  });

  it("answers 401 without a token or with a wrong one, and hides another token's scans (404)", async () => {
    const { url } = await startServer();
    expect((await get(url, undefined, "/v1/scans")).status).toBe(401);
    const wrong = await fetch(`${url}/v1/scans`, { headers: auth("not-a-token-0123456789abcdef") });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
    expect(await wrong.json()).toEqual({
      error: { code: "unauthorized", message: "a valid bearer token is required" },
    });
    expect((await fetch(`${url}/v1/scans`, { headers: { authorization: `Basic ${ALICE}` } })).status).toBe(401);
    const noTokenUpload = await fetch(`${url}/v1/scans`, { method: "POST", body: "x" });
    expect(noTokenUpload.status).toBe(401);

    const mine = await scanFiles(url, ALICE, await fileParts(BENIGN));
    for (const route of [`/v1/scans/${mine.id}`, `/v1/scans/${mine.id}/sarif`]) {
      const response = await get(url, BOB, route);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("scan-not-found");
    }
    expect((await fetch(`${url}/v1/scans/${mine.id}`, { method: "DELETE", headers: auth(BOB) })).status).toBe(404);
    expect(((await (await get(url, BOB, "/v1/scans")).json()) as { scans: unknown[] }).scans).toEqual([]);
    // The admin token sees every scan.
    expect((await get(url, ADMIN, `/v1/scans/${mine.id}`)).status).toBe(200);
    const adminList = (await (await get(url, ADMIN, "/v1/scans")).json()) as { scans: { id: string }[] };
    expect(adminList.scans.map((scan) => scan.id)).toEqual([mine.id]);
    // Health needs no token.
    expect((await get(url, undefined, "/healthz")).status).toBe(200);
    expect(await (await get(url, undefined, "/readyz")).json()).toMatchObject({ status: "ready", queue: "embedded" });
  });

  it("lists scans newest first, paged and filtered by status, and deletes them", async () => {
    const { url } = await startServer();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await scanFiles(url, ALICE, await fileParts(BENIGN))).id);
    const first = (await (await get(url, ALICE, "/v1/scans?limit=2")).json()) as {
      scans: { id: string; status: string }[];
      nextCursor: string | null;
    };
    expect(first.scans.map((scan) => scan.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBeTypeOf("string");
    const second = (await (await get(url, ALICE, `/v1/scans?limit=2&cursor=${first.nextCursor}`)).json()) as {
      scans: { id: string }[];
      nextCursor: string | null;
    };
    expect(second).toEqual({ scans: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    const failed = (await (await get(url, ALICE, "/v1/scans?status=failed")).json()) as { scans: unknown[] };
    expect(failed.scans).toEqual([]);
    expect((await get(url, ALICE, "/v1/scans?status=bogus")).status).toBe(400);
    expect((await get(url, ALICE, "/v1/scans?limit=0")).status).toBe(400);
    expect((await get(url, ALICE, "/v1/scans?cursor=garbage")).status).toBe(400);
    expect((await get(url, ALICE, "/v1/scans/not-a-uuid")).status).toBe(400);

    expect((await fetch(`${url}/v1/scans/${ids[0]}`, { method: "DELETE", headers: auth(ALICE) })).status).toBe(204);
    expect((await get(url, ALICE, `/v1/scans/${ids[0]}`)).status).toBe(404);
  });

  it("reports running and queued scans on /readyz, filters the list by each status, and DELETE stops a running scan", async () => {
    const { url, dataDir } = await startServer({ configFile: FLAG_CONFIG, scanThreads: 1 });
    const slowScan = async (name: string) => {
      const response = await upload(url, ALICE, [{ name: "file", filename: name, content: "FLAG\nSLEEP 60000\n" }]);
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    };
    const running = await slowScan("first.flag");
    await waitForStatus(url, running, "running");
    const queued = await slowScan("second.flag");
    expect(await (await get(url, undefined, "/readyz")).json()).toEqual({
      status: "ready",
      queue: "embedded",
      running: 1,
      queued: 1,
    });
    const listed = async (status: string) =>
      ((await (await get(url, ALICE, `/v1/scans?status=${status}`)).json()) as { scans: { id: string }[] }).scans.map(
        (scan) => scan.id,
      );
    expect([await listed("running"), await listed("queued"), await listed("done")]).toEqual([[running], [queued], []]);

    // Deleting the running scan stops it: its upload goes, and the queued one gets the freed thread.
    const started = Date.now();
    expect((await fetch(`${url}/v1/scans/${running}`, { method: "DELETE", headers: auth(ALICE) })).status).toBe(204);
    expect((await get(url, ALICE, `/v1/scans/${running}`)).status).toBe(404);
    await waitForStatus(url, queued, "running");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await listFiles(path.join(dataDir, "blobs"))).toEqual([`${queued}/second.flag`]);
    expect((await fetch(`${url}/v1/scans/${queued}`, { method: "DELETE", headers: auth(ALICE) })).status).toBe(204);
    await expectNoUploads(dataDir);
    const done = await scanFiles(url, ALICE, [{ name: "file", filename: "bad.flag", content: "FLAG\nBAD\n" }]);
    expect([await listed("done"), await listed("running"), await listed("queued")]).toEqual([[done.id], [], []]);
    // A thread is counted free once its scan's bookkeeping ends, a moment after the store says done.
    const deadline = Date.now() + 10_000;
    const readiness = async () =>
      (await (await get(url, undefined, "/readyz")).json()) as { running: number; queued: number };
    let ready = await readiness();
    while ((ready.running !== 0 || ready.queued !== 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready = await readiness();
    }
    expect(ready).toMatchObject({ running: 0, queued: 0 });
  });

  it("serves an OpenAPI 3.1 document generated from the route schemas, and the plugin list", async () => {
    const { url } = await startServer();
    const document = (await (await get(url, ALICE, "/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string; in: string }[];
            requestBody?: { content: Record<string, unknown> };
            responses: Record<string, unknown>;
            security?: unknown[];
          }
        >
      >;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([
      "/healthz",
      "/readyz",
      "/v1/openapi.json",
      "/v1/plugins",
      "/v1/scans",
      "/v1/scans/{id}",
      "/v1/scans/{id}/sarif",
    ]);
    const post = document.paths["/v1/scans"]?.post;
    expect(Object.keys(post?.requestBody?.content ?? {}).sort()).toEqual(["application/json", "multipart/form-data"]);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(["202", "401", "403", "413", "429"]));
    const list = document.paths["/v1/scans"]?.get;
    expect(list?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      "query:status",
      "query:limit",
      "query:cursor",
    ]);
    expect(document.paths["/healthz"]?.get?.security).toEqual([]);

    const plugins = (await (await get(url, ALICE, "/v1/plugins")).json()) as { plugins: { name: string }[] };
    expect(plugins.plugins.length).toBeGreaterThan(5);
  });

  it("removes uploads left without a scan by a crash when it starts", async () => {
    const dataDir = await temporaryDirectory();
    await mkdir(path.join(dataDir, "blobs/7d0e6a52-3f7e-4f7e-9b5e-1c2d3e4f5a6b"), { recursive: true });
    await writeFile(path.join(dataDir, "blobs/7d0e6a52-3f7e-4f7e-9b5e-1c2d3e4f5a6b/half.bin"), "partial");
    await startServer({ dataDir });
    await expectNoUploads(dataDir);
  });
});

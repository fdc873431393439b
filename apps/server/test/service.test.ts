import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildServer, main } from "../src/server.js";
import { dataDirectory, EXAMPLES, fileParts, postScan, startServer } from "./helpers.js";

const TEST_CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));

describe("service endpoints", () => {
  it("reports health with the loaded plugins", async () => {
    const { app } = await startServer();
    const response = await app.inject({ method: "GET", url: "/health" });
    expect(response.statusCode).toBe(200);
    const health = response.json();
    expect(health.status).toBe("ok");
    expect(health.version).toBe("0.0.0-test");
    const names = health.plugins.map((plugin: { name: string }) => plugin.name);
    expect(names).toContain("@modelaudit/format-pickle");
    expect(names).toContain("@modelaudit/detector-code-execution");
  });

  it("lists plugins and rules like `modelaudit plugins --format json`", async () => {
    const { app } = await startServer();
    const { plugins } = (await app.inject({ method: "GET", url: "/plugins" })).json();
    const codeExecution = plugins.find(
      (plugin: { name: string }) => plugin.name === "@modelaudit/detector-code-execution",
    );
    expect(codeExecution.namespace).toBe("code-execution");
    const rule = codeExecution.rules.find((item: { id: string }) => item.id === "code-execution/dangerous-global");
    expect(rule).toMatchObject({ severity: "critical", recommended: true });
    expect(Object.keys(plugins[0]).sort()).toEqual(["detectors", "formats", "name", "namespace", "rules", "version"]);
  });

  it("loads the plugins a config file names, resolved beside it, with the config's settings", async () => {
    const { app } = await startServer({ configFile: TEST_CONFIG });
    const health = (await app.inject({ method: "GET", url: "/health" })).json();
    expect(health.plugins).toEqual([{ name: "modelaudit-plugin-server-test", version: "1.2.3" }]);
    const response = await postScan(app, [{ name: "file", filename: "flags.txt", content: "FLAG\nfine\nvery BAD\n" }]);
    const body = response.json();
    expect(body.exitCode).toBe(1);
    expect(body.report.failOn).toBe("critical");
    expect(
      body.report.findings.map((finding: { ruleId: string; file: string }) => [finding.ruleId, finding.file]),
    ).toEqual([["flag/bad-value", "flags.txt"]]);
  });

  it("adds the plugins a config names to the recommended preset unless it says extends: []", async () => {
    const plugin = fileURLToPath(new URL("./fixtures/flag-plugin.mjs", import.meta.url));
    const { app } = await startServer({ config: { plugins: [plugin] } });
    const names = (await app.inject({ method: "GET", url: "/health" }))
      .json()
      .plugins.map((entry: { name: string }) => entry.name);
    expect(names).toContain("@modelaudit/detector-code-execution");
    expect(names).toContain("modelaudit-plugin-server-test");
    const { app: alone } = await startServer({ config: { extends: [], plugins: [plugin] } });
    expect((await alone.inject({ method: "GET", url: "/health" })).json().plugins).toEqual([
      { name: "modelaudit-plugin-server-test", version: "1.2.3" },
    ]);
  });

  it("fails start-up on a typo'd plugin option, naming its key", async () => {
    const app = buildServer({
      dataDir: await dataDirectory(),
      config: { options: { "code-execution": { allowx: ["os.system"] } } },
    });
    await expect(app.ready()).rejects.toThrow(/options\.code-execution\.allowx: unknown option/);
    await app.close();
  });

  it("fails start-up on a config it cannot load", async () => {
    const app = buildServer({ dataDir: await dataDirectory(), config: { rules: { "no-such/rule": "off" } } });
    await expect(app.ready()).rejects.toThrow(/unknown rule id "no-such\/rule"/);
    await app.close();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const { app } = await startServer();
    const response = await app.inject({ method: "GET", url: "/admin" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("not-found");
  });

  it("hides internal errors: a JSON 500 without message details or stack", async () => {
    const dataDir = await dataDirectory();
    const app = buildServer({ dataDir });
    app.get("/broken", async () => {
      throw new Error(`secret detail at ${dataDir}`);
    });
    try {
      const response = await app.inject({ method: "GET", url: "/broken" });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: "internal-error", message: "internal server error" } });
      expect(response.body).not.toContain("secret");
      expect(response.body).not.toContain("at ");
    } finally {
      await app.close();
    }
  });

  it("starts from the command line, logs one line and serves scans over a real socket", async () => {
    const dataDir = await dataDirectory();
    let stdout = "";
    let stderr = "";
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    };
    const started = await main(["--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir], io);
    expect(started.exitCode).toBe(0);
    try {
      expect(stderr).toBe("");
      const lines = stdout.split("\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0] ?? "")?.[1];
      expect(address).toBeDefined();

      const form = new FormData();
      const [part] = await fileParts(path.join(EXAMPLES, "malicious/model.safetensors"));
      form.append("file", new Blob([part!.content]), part!.filename);
      const scanned = await fetch(`${address}/scans`, { method: "POST", body: form });
      expect(scanned.status).toBe(201);
      const body = (await scanned.json()) as { id: string; exitCode: number };
      expect(body.exitCode).toBe(1);
      const report = await fetch(`${address}/scans/${body.id}/report?format=sarif`);
      expect(report.status).toBe(200);
    } finally {
      await started.close?.();
    }
  });

  it("refuses bad command-line arguments with exit code 2", async () => {
    let stderr = "";
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } };
    expect((await main(["--port", "http"], io)).exitCode).toBe(2);
    expect(stderr).toContain("--port");
    expect((await main(["--bogus"], io)).exitCode).toBe(2);
    const missing = await main(["--port", "0", "--data-dir", await dataDirectory(), "--config", "/no/such.json"], io);
    expect(missing.exitCode).toBe(2);
    expect(stderr).toContain("/no/such.json");
  });
});

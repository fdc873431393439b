import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALICE, expectNoUploads, get, type ScanBody, temporaryDirectory, upload, waitForScan } from "./helpers.js";
import { freshDatabase, TEST_DATABASE_URL } from "./postgres.js";
import { spawnServer } from "./processes.js";

const CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));

/** The embedded service on its SQLite file, or on PostgreSQL (whose service lock a killed process must release). */
const STORES = [
  { kind: "sqlite", skip: false, databaseUrl: async (): Promise<string | undefined> => undefined },
  { kind: "postgres", skip: !TEST_DATABASE_URL, databaseUrl: freshDatabase },
] as const;

describe.each(STORES)("restart recovery (child processes), $kind store", (store) => {
  it.skipIf(store.skip)("finishes a scan after the server is killed with SIGKILL during it and restarted", async () => {
    const dataDir = await temporaryDirectory();
    const databaseUrl = await store.databaseUrl();
    const args = [
      ...(databaseUrl ? ["--database-url", databaseUrl] : []),
      ...["--data-dir", dataDir, "--config", CONFIG, "--scan-threads", "1"],
    ];
    const first = await spawnServer(args);
    const created = await upload(first.url, ALICE, [
      { name: "file", filename: "slow.flag", content: "FLAG\nSLEEP 3000\nBAD line\n" },
    ]);
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    // Kill only once the scan is running: the case a restart must not lose.
    // Plugins load in the pool thread first, which takes seconds on a busy machine.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = (await (await get(first.url, ALICE, `/v1/scans/${id}`)).json()) as ScanBody;
      if (body.status === "running") break;
      expect(body.status, first.output()).toBe("queued");
      expect(Date.now(), first.output()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await spawnServer(args);
    const done = await waitForScan(second.url, ALICE, id);
    expect(done).toMatchObject({ status: "done", exitCode: 1, attempts: 2 });
    expect(done.report?.findings.map((finding) => [finding.ruleId, finding.file])).toEqual([
      ["flag/bad-value", "slow.flag"],
    ]);
    await expectNoUploads(dataDir);
    expect(existsSync(path.join(dataDir, "modelaudit.sqlite"))).toBe(store.kind === "sqlite");
  });
});

describe("start-up errors (child processes)", () => {
  it("refuses to start without tokens, and with bad arguments, with exit code 2", async () => {
    const dataDir = await temporaryDirectory();
    const { spawnDist } = await import("./processes.js");
    const noTokens = spawnDist(["--port", "0", "--data-dir", dataDir], { MODELAUDIT_TOKENS: "" });
    expect(await noTokens.exited).toBe(2);
    expect(noTokens.output()).toMatch(/no API tokens configured/);
    const shortToken = spawnDist(["--port", "0", "--data-dir", dataDir], { MODELAUDIT_TOKENS: "a:short" });
    expect(await shortToken.exited).toBe(2);
    expect(shortToken.output()).toMatch(/at least 16 characters/);
    const badFlag = spawnDist(["--port", "nope"]);
    expect(await badFlag.exited).toBe(2);
    const badConfig = spawnDist(["--port", "0", "--data-dir", dataDir, "--config", "/nonexistent/config.json"]);
    expect(await badConfig.exited).toBe(2);
    // A store that cannot open stops start-up; the message never repeats the URL's password.
    const badDatabaseUrl = spawnDist(["--port", "0", "--data-dir", dataDir], {
      DATABASE_URL: "mysql://u:hunter2@h/db",
    });
    expect(await badDatabaseUrl.exited).toBe(2);
    expect(badDatabaseUrl.output()).toMatch(/DATABASE_URL must start with postgres:\/\//);
    const noDatabase = spawnDist([
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--database-url",
      "postgres://u:hunter2@127.0.0.1:1/db",
    ]);
    expect(await noDatabase.exited).toBe(2);
    expect(noDatabase.output()).toMatch(/cannot open the PostgreSQL store/);
    expect(noDatabase.output()).not.toMatch(/hunter2/);
  });
});

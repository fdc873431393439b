import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readServerConfig } from "../src/server-config.js";
import { auth, get, temporaryDirectory, upload, waitForScan } from "./helpers.js";
import { spawnDist, spawnServer } from "./processes.js";

const FLAG_CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));
const CI_TOKEN = "ci-token-from-the-config-0123";
const OPS_TOKEN = "ops-token-from-the-config-0123";

async function writeSettings(settings: unknown): Promise<string> {
  const file = path.join(await temporaryDirectory("modelaudit-settings-"), "server.json");
  await writeFile(file, typeof settings === "string" ? settings : JSON.stringify(settings));
  return file;
}

describe("server config file (--server-config)", () => {
  it("reads tokens and settings, with paths relative to the file", async () => {
    const file = await writeSettings({
      tokens: [{ name: "ci", token: CI_TOKEN }],
      dataDir: "data",
      blobDir: "../shared/blobs",
      allowedRoots: ["models", "/srv/models"],
      config: "modelaudit.config.json",
      scanTimeoutSeconds: 30,
    });
    const folder = path.dirname(file);
    expect(readServerConfig(file)).toEqual({
      tokens: [{ name: "ci", token: CI_TOKEN }],
      dataDir: path.join(folder, "data"),
      blobDir: path.join(path.dirname(folder), "shared/blobs"),
      allowedRoots: [path.join(folder, "models"), "/srv/models"],
      config: path.join(folder, "modelaudit.config.json"),
      scanTimeoutSeconds: 30,
    });
  });

  it("refuses unknown keys, wrong types and bad JSON without repeating a value", async () => {
    expect(() => readServerConfig(`${FLAG_CONFIG}.missing`)).toThrow(/ENOENT/);
    const misspelt = await writeSettings({ token: [{ name: "ci", token: CI_TOKEN }] });
    expect(() => readServerConfig(misspelt)).toThrow(/unknown key "token"/);
    const extraField = await writeSettings({ tokens: [{ name: "ci", token: CI_TOKEN, scope: "all" }] });
    expect(() => readServerConfig(extraField)).toThrow(/unknown key "tokens\.0\.scope"/);
    const wrongType = await writeSettings({ tokens: [{ name: "ci", token: 1234567890123456 }] });
    expect(() => readServerConfig(wrongType)).toThrow(/"tokens\.0\.token"/);
    const secret = await writeSettings({ tokens: [{ name: "ci", token: CI_TOKEN, admin: "yes" }] });
    let message = "";
    try {
      readServerConfig(secret);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"tokens\.0\.admin"/);
    expect(message).not.toContain(CI_TOKEN);
    const badJson = await writeSettings("{ not json");
    expect(() => readServerConfig(badJson)).toThrow(/not valid JSON/);
    const badPort = await writeSettings({ port: 70_000 });
    expect(() => readServerConfig(badPort)).toThrow(/"port"/);
  });

  it("starts the service with tokens from the config alone; flags win over the file", async () => {
    const folder = await temporaryDirectory("modelaudit-service-");
    await mkdir(path.join(folder, "data"));
    const file = await writeSettings({
      tokens: [
        { name: "ci", token: CI_TOKEN },
        { name: "ops", token: OPS_TOKEN, admin: true },
      ],
      dataDir: path.join(folder, "data"),
      config: FLAG_CONFIG,
      port: 1,
      maxFiles: 1,
    });
    // No MODELAUDIT_TOKENS: the config's tokens are the only ones. --port 0 replaces the file's port 1.
    const server = await spawnServer(["--server-config", file], { MODELAUDIT_TOKENS: "" });
    expect(server.output()).toContain(`(data: ${path.join(folder, "data")})`);
    expect((await get(server.url, undefined, "/v1/scans")).status).toBe(401);
    const created = await upload(server.url, CI_TOKEN, [{ name: "file", filename: "a.flag", content: "FLAG\nBAD\n" }]);
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect(await waitForScan(server.url, CI_TOKEN, id)).toMatchObject({ status: "done", exitCode: 1 });
    // The admin flag of a config token is honoured; the file's maxFiles applies.
    expect((await fetch(`${server.url}/v1/scans/${id}`, { headers: auth(OPS_TOKEN) })).status).toBe(200);
    const two = await upload(server.url, CI_TOKEN, [
      { name: "file", filename: "a.flag", content: "FLAG\n" },
      { name: "file", filename: "b.flag", content: "FLAG\n" },
    ]);
    expect(two.status).toBe(413);
    expect(server.output()).not.toContain(CI_TOKEN);
  });

  it("adds the config's tokens to MODELAUDIT_TOKENS, and refuses to start on a bad config with exit code 2", async () => {
    const dataDir = await temporaryDirectory();
    const file = await writeSettings({ tokens: [{ name: "ci", token: CI_TOKEN }], dataDir, config: FLAG_CONFIG });
    const server = await spawnServer(["--server-config", file]);
    expect((await get(server.url, CI_TOKEN, "/v1/scans")).status).toBe(200);
    expect((await get(server.url, "alice-token-0123456789abcdef", "/v1/scans")).status).toBe(200);

    const twice = spawnDist(["--port", "0", "--server-config", file], { MODELAUDIT_TOKENS: `ci:${OPS_TOKEN}` });
    expect(await twice.exited).toBe(2);
    expect(twice.output()).toMatch(/token name "ci" is used twice/);
    const short = spawnDist(
      ["--port", "0", "--server-config", await writeSettings({ tokens: [{ name: "x", token: "short" }] })],
      {
        MODELAUDIT_TOKENS: "",
      },
    );
    expect(await short.exited).toBe(2);
    expect(short.output()).toMatch(/at least 16 characters/);
    const unknown = spawnDist(["--port", "0", "--server-config", await writeSettings({ tokenz: [] })]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toMatch(/unknown key "tokenz"/);
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeHub, startFakeHub, TOKEN } from "./fake-hub.js";
import { CLEAN, CRITICAL, runCli, TEST_PLUGIN, workspace } from "./harness.js";

// `modelaudit scan hf://...` and `https://...` against a loopback server that answers as the Hub
// API does, with downloads redirected to a second (CDN) origin.
const MAIN = "1111111111111111111111111111111111111111";
const V1 = "2222222222222222222222222222222222222222";
const PRIVATE = "3333333333333333333333333333333333333333";
const EVIL = "4444444444444444444444444444444444444444";
const BIG = "5555555555555555555555555555555555555555";
const UNSAFE = "6666666666666666666666666666666666666666";
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

let hub: FakeHub;
let config: string;
let cwd: string;
/** Download directories made by the current test (a test may make several): removed after it. */
const downloads: string[] = [];

beforeAll(async () => {
  const picklePayload = await readFile(path.join(fixtures, "pickle/os_system_p2.pkl"));
  hub = await startFakeHub({
    "acme/clean": {
      revisions: { main: MAIN, v1: V1 },
      commits: {
        [MAIN]: { "a.test": CLEAN, "sub/b.test": CLEAN, "README.md": "# a model\n", "c.test": CLEAN },
        [V1]: { "a.test": CRITICAL },
      },
    },
    "acme/private": { private: true, revisions: { main: PRIVATE }, commits: { [PRIVATE]: { "p.test": CLEAN } } },
    "acme/evil": {
      revisions: { main: EVIL },
      commits: { [EVIL]: { "model.pkl": picklePayload, "config.json": "{}" } },
    },
    "acme/unsafe": {
      revisions: { main: UNSAFE },
      commits: { [UNSAFE]: { "ok.test": CLEAN, "../escape.test": CRITICAL, "broken.test": CLEAN } },
      brokenOnCdn: ["broken.test"],
    },
    "acme/big": {
      revisions: { main: BIG },
      commits: {
        [BIG]: {
          "small.test": CLEAN,
          "big.test": `${CLEAN}${"text padding\n".repeat(100)}`,
          "liar.test": `${CLEAN}${"text more\n".repeat(100)}`,
        },
      },
      // The listing says 40 bytes; the server then sends about 1 KB.
      listedSizes: { "liar.test": 40 },
    },
  });
  // The harness's workspaces last one test; this one lasts the file.
  cwd = await mkdtemp(path.join(tmpdir(), "modelaudit-remote-cwd-"));
  config = path.join(cwd, "test.config.json");
  await writeFile(config, JSON.stringify({ extends: [], plugins: [TEST_PLUGIN] }));
});
afterAll(async () => {
  await hub.close();
  await rm(cwd, { recursive: true, force: true });
});
afterEach(async () => {
  for (const dir of downloads.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh parent for the download directory, so a test can see that nothing is left in it. */
async function downloadDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-downloads-"));
  downloads.push(dir);
  return dir;
}

async function scanRemote(args: string[], env: Record<string, string> = {}, withConfig = true) {
  const dir = await downloadDir();
  const result = await runCli(
    ["scan", ...args, "--no-progress", "--download-dir", dir, ...(withConfig ? ["--config", config] : [])],
    { cwd, env: { HF_ENDPOINT: hub.url, ...env } },
  );
  return { ...result, left: await readdir(dir) };
}

interface JsonReport {
  sources?: { input: string; kind: string; url: string; revision?: string; commit?: string }[];
  files: { path: string; outcome: string; reasons: string[]; formats: string[] }[];
  findings: { ruleId: string; file: string }[];
  summary: { files: number; exitCode: number; outcomes: Record<string, number> };
}

describe("modelaudit scan hf://org/repo", () => {
  it("scans a public repository at the commit its default branch resolves to, and says which", async () => {
    hub.requests.length = 0;
    const result = await scanRemote(["hf://acme/clean", "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.sources).toEqual([
      { input: "hf://acme/clean", kind: "huggingface", url: `${hub.url}/acme/clean`, commit: MAIN },
    ]);
    expect(report.files.map((file) => [file.path, file.outcome])).toEqual([
      [`hf://acme/clean@${MAIN}/README.md`, "clean"],
      [`hf://acme/clean@${MAIN}/a.test`, "clean"],
      [`hf://acme/clean@${MAIN}/c.test`, "clean"],
      [`hf://acme/clean@${MAIN}/sub/b.test`, "clean"],
    ]);
    // Pinned: after the revision lookup, every listing and download names the commit, never the branch.
    const afterLookup = hub.requests.filter((request) => request.server === "hub").slice(1);
    expect(afterLookup.length).toBeGreaterThan(4);
    for (const request of afterLookup) expect(request.url).toContain(MAIN);
    expect(hub.requests.some((request) => request.url.includes("cursor=2"))).toBe(true);
    expect(hub.requests.filter((request) => request.server === "cdn")).toHaveLength(4);
    expect(result.left).toEqual([]);
  });

  it("resolves a tag to its commit and reports both, in text and SARIF too", async () => {
    const text = await scanRemote([`hf://acme/clean@v1`]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout.split("\n")[0]).toBe(`source hf://acme/clean@v1  commit ${V1}`);
    expect(text.stdout).toContain(`hf://acme/clean@${V1}/a.test  [test-format]  findings`);

    const sarif = await scanRemote([`hf://acme/clean@v1`, "--format", "sarif"]);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: `${hub.url}/acme/clean`, revisionId: V1, branch: "v1" },
    ]);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(`hf://acme/clean@${V1}/a.test`);
    expect(sarif.left).toEqual([]);
  });

  it("needs HF_TOKEN for a private repository, and never sends it to the CDN", async () => {
    const denied = await scanRemote(["hf://acme/private"]);
    expect(denied.exitCode).toBe(2);
    expect(denied.stderr).toMatch(/hf:\/\/acme\/private: access denied \(HTTP 401\).*HF_TOKEN/);
    expect(denied.stdout).toBe("");
    expect(denied.left).toEqual([]);

    hub.requests.length = 0;
    const allowed = await scanRemote(["hf://acme/private", "--format", "json"], { HF_TOKEN: TOKEN });
    expect(allowed.stderr).toBe("");
    expect(allowed.exitCode).toBe(0);
    const report = JSON.parse(allowed.stdout) as JsonReport;
    expect(report.files.map((file) => file.path)).toEqual([`hf://acme/private@${PRIVATE}/p.test`]);
    const cdn = hub.requests.filter((request) => request.server === "cdn");
    expect(cdn.length).toBe(1);
    expect(cdn.every((request) => request.authorization === undefined)).toBe(true);
    expect(
      hub.requests.filter((request) => request.server === "hub").every((r) => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
  });

  it("exits 1 on a repository holding a malicious pickle (recommended preset)", async () => {
    const result = await scanRemote(["hf://acme/evil", "--format", "json"], {}, false);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    const file = `hf://acme/evil@${EVIL}/model.pkl`;
    expect(report.files.find((entry) => entry.path === file)?.outcome).toBe("findings");
    expect(
      report.findings.some((finding) => finding.file === file && finding.ruleId.startsWith("code-execution/")),
    ).toBe(true);
    expect(result.left).toEqual([]);
  });

  it("reports a file over the per-file cap as inconclusive with why, downloads the rest, and leaves nothing on disk", async () => {
    const result = await scanRemote(["hf://acme/big", "--format", "json", "--max-download-file", "200"]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    const byPath = new Map(report.files.map((file) => [file.path.slice(`hf://acme/big@${BIG}/`.length), file]));
    expect(byPath.get("small.test")?.outcome).toBe("clean");
    expect(byPath.get("big.test")?.outcome).toBe("inconclusive");
    expect(byPath.get("big.test")?.reasons).toEqual([
      "not downloaded: 1.3 KiB is over the per-file download cap of 200 B (--max-download-file)",
    ]);
    // Announced as small, sent large: abandoned mid-stream, not trusted.
    expect(byPath.get("liar.test")?.outcome).toBe("inconclusive");
    expect(byPath.get("liar.test")?.reasons[0]).toMatch(/^download abandoned: the server sent more than 200 B/);
    expect(report.summary.outcomes).toEqual({ clean: 1, findings: 0, inconclusive: 2, error: 0 });
    expect(result.left).toEqual([]);
  });

  it("never writes a listed file whose name climbs out of the download directory; a failed download is inconclusive", async () => {
    hub.requests.length = 0;
    const result = await scanRemote(["hf://acme/unsafe", "--format", "json"]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.files.map((file) => [file.path, file.outcome, file.reasons])).toEqual([
      [
        `hf://acme/unsafe@${UNSAFE}/../escape.test`,
        "inconclusive",
        ["not downloaded: unsafe file name in the listing"],
      ],
      [
        `hf://acme/unsafe@${UNSAFE}/broken.test`,
        "inconclusive",
        [`download failed: storage unavailable. URL: ${hub.cdnUrl}/blob/broken`],
      ],
      [`hf://acme/unsafe@${UNSAFE}/ok.test`, "clean", []],
    ]);
    // The CDN's signed query string never reaches the report.
    expect(result.stdout).not.toContain("Signature");
    expect(hub.requests.some((request) => request.url.includes("escape"))).toBe(false);
    expect(result.left).toEqual([]);
  });

  it("stops at the total cap across files", async () => {
    const result = await scanRemote(["hf://acme/clean", "--format", "json", "--max-download", "40"]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    const refused = report.files.filter((file) => file.outcome === "inconclusive");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.reasons[0]).toContain("total cap of 40 B (--max-download)");
    expect(result.left).toEqual([]);
  });

  it("says so for an unknown repository or revision, and for a malformed target", async () => {
    const missing = await scanRemote(["hf://acme/nope"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("hf://acme/nope: no such repository or revision (HTTP 404");
    const revision = await scanRemote(["hf://acme/clean@nope"]);
    expect(revision.exitCode).toBe(2);
    expect(revision.stderr).toContain("hf://acme/clean@nope: no such repository or revision");
    const bad = await scanRemote(["hf://acme/../etc"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("expected hf://org/repo or hf://org/repo@revision");
    expect([...missing.left, ...revision.left, ...bad.left]).toEqual([]);
  });

  it("scans remote and local inputs together", async () => {
    const local = await workspace({ "local.test": CRITICAL });
    const result = await scanRemote(["hf://acme/clean", path.join(local.dir, "local.test"), "--format", "json"]);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.files.map((file) => file.path)).toContain(path.join(local.dir, "local.test"));
    expect(report.files.filter((file) => file.path.startsWith("hf://"))).toHaveLength(4);
  });
});

describe("modelaudit scan https://...", () => {
  it("downloads one file (here over loopback http), names it by URL without the query string", async () => {
    const url = `${hub.url}/acme/clean/resolve/${V1}/a.test`;
    const result = await scanRemote([`${url}?download=true`, "--format", "json"]);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.sources).toEqual([
      { input: url, kind: "url", url: expect.stringMatching(new RegExp(`^${hub.cdnUrl}/blob/[0-9a-f]{64}$`)) },
    ]);
    expect(report.files.map((file) => [file.path, file.outcome])).toEqual([[url, "findings"]]);
    expect(report.findings[0]?.file).toBe(url);
    expect(result.left).toEqual([]);
  });

  it("refuses plain http off loopback, and a file over the cap is inconclusive", async () => {
    const plain = await scanRemote(["http://example.com/model.pt"]);
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain("http://example.com/model.pt: plain http is not accepted, use https://");

    const big = await scanRemote([
      `${hub.url}/acme/big/resolve/${BIG}/big.test`,
      "--format",
      "json",
      "--max-download-file",
      "1KiB",
    ]);
    expect(big.exitCode).toBe(2);
    const report = JSON.parse(big.stdout) as JsonReport;
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons[0]).toContain("over the per-file download cap of 1 KiB");
    expect(big.left).toEqual([]);
  });

  it("fails with the status when the server refuses, and sends HF_TOKEN to Hub URLs only", async () => {
    const result = await scanRemote([`${hub.url}/acme/private/resolve/main/p.test`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("HTTP 401");
    expect(result.left).toEqual([]);

    // A URL on the Hub gets HF_TOKEN; the CDN it redirects to does not.
    hub.requests.length = 0;
    const withToken = await scanRemote([`${hub.url}/acme/private/resolve/main/p.test`], { HF_TOKEN: TOKEN });
    expect(withToken.exitCode).toBe(0);
    expect(hub.requests.map((request) => [request.server, request.authorization])).toEqual([
      ["hub", `Bearer ${TOKEN}`],
      ["cdn", undefined],
    ]);
  });
});

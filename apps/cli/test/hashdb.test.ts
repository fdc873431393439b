import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHashDbPath, hashDbPath, userCacheDirectory } from "../src/hashdb-path.js";
import { runCli } from "./harness.js";

const execFileAsync = promisify(execFile);
const repository = path.resolve(import.meta.dirname, "../../..");
const nestedZip = path.join(repository, "tooling/fixtures/archives/benign_nested_3.zip");
// level2.zip > level3.zip > hello.txt, read in place from the fixture (checked against Python's zipfile).
const HELLO_SHA256 = "cb2079316a1aec87fd9c1ba5c78cf377404f02a12155f814c3dc618a9d62a5fe";
const bin = path.join(repository, "apps/cli/bin/modelaudit.js");

// As the `modelaudit` package under pnpm: only the preset resolves by name, and the CLI finds the
// supply-chain plugin beside it.
const resolvePlugin = (name: string) => {
  if (name === "@modelaudit/detector-supply-chain") throw new Error(`Cannot find package '${name}'`);
  return import.meta.resolve(name);
};

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-hashdb-cli-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe("modelaudit hashdb", () => {
  it("imports a feed, then a scan in a new process catches the known-bad digest of a nested archive member", async () => {
    const database = path.join(directory, "db", "known.sqlite");
    const feed = path.join(directory, "feed.csv");
    await writeFile(feed, `sha256,verdict,source\n${HELLO_SHA256},malicious,"INC-42, mirror takedown"\n`);
    const imported = await runCli(["hashdb", "import", feed, "--hashdb", database], { resolvePlugin });
    expect(imported.stderr).toContain("1 entries, 1 added or changed");
    expect(imported.exitCode).toBe(0);

    const stats = await runCli(["hashdb", "stats", "-f", "json"], {
      resolvePlugin,
      env: { MODELAUDIT_HASHDB: database },
    });
    expect(JSON.parse(stats.stdout)).toMatchObject({ database, total: 1, malicious: 1, benign: 0 });

    // Another process: the database is a file that outlives the one that wrote it.
    const scan = await execFileAsync(process.execPath, [bin, "scan", nestedZip, "-f", "json", "--no-progress"], {
      env: { ...process.env, MODELAUDIT_HASHDB: database },
    }).catch((error: { code: number; stdout: string }) => error);
    expect((scan as { code?: number }).code).toBe(1);
    const report = JSON.parse((scan as { stdout: string }).stdout);
    const finding = report.findings.find(
      (item: { ruleId: string }) => item.ruleId === "supply-chain/known-malicious-hash",
    );
    expect(finding).toMatchObject({
      severity: "critical",
      memberChain: ["level2.zip", "level3.zip", "hello.txt"],
      message: `member level2.zip > level3.zip > hello.txt's SHA-256 ${HELLO_SHA256} is listed malicious by INC-42, mirror takedown`,
    });
  }, 60_000);

  it("a feed's ssdeep digest: a near-copy nested in archives is caught in a new process, its source and score named", async () => {
    // tooling/fixtures/generate_near_copy_fixtures.py: feed.csv lists known-bad.pkl with its libfuzzy ssdeep;
    // near-copy-nested.zip holds inner.zip > model/data.pkl (deflated), the pickle with another command.
    const fixtures = path.join(repository, "tooling/fixtures/supply-chain/near-copy");
    const database = path.join(directory, "fuzzy.sqlite");
    const imported = await runCli(["hashdb", "import", path.join(fixtures, "feed.csv"), "--hashdb", database], {
      resolvePlugin,
    });
    expect(imported.stderr).toContain("1 malicious, 0 benign; 1 with an ssdeep digest");
    const stats = await runCli(["hashdb", "stats", "--hashdb", database], { resolvePlugin });
    expect(stats.stdout).toContain("1 with an ssdeep digest (near-copies of them are recognised)");

    const scan = await execFileAsync(
      process.execPath,
      [bin, "scan", path.join(fixtures, "near-copy-nested.zip"), "-f", "json", "--no-progress"],
      { env: { ...process.env, MODELAUDIT_HASHDB: database } },
    ).catch((error: { code: number; stdout: string }) => error);
    expect((scan as { code?: number }).code).toBe(1);
    const report = JSON.parse((scan as { stdout: string }).stdout);
    const near = report.findings.filter(
      (item: { ruleId: string }) => item.ruleId === "supply-chain/known-malicious-near-copy",
    );
    expect(near).toHaveLength(1);
    expect(near[0]).toMatchObject({
      severity: "critical",
      memberChain: ["inner.zip", "model/data.pkl"],
      message: expect.stringMatching(
        /^member inner\.zip > model\/data\.pkl's ssdeep digest is 97% similar to that of a file listed malicious by near-copy fixture feed/,
      ),
    });
  }, 60_000);

  it("--cache does not reuse a result after an import changed the database", async () => {
    const database = path.join(directory, "cached.sqlite");
    const cache = path.join(directory, "cache");
    const feed = path.join(directory, "benign.csv");
    await writeFile(feed, `sha256,verdict,source\n${"0".repeat(64)},benign,nothing to do with it\n`);
    await runCli(["hashdb", "import", feed, "--hashdb", database], { resolvePlugin });
    const scan = () =>
      runCli(["scan", nestedZip, "--hashdb", database, "--cache", cache, "-f", "json"], { resolvePlugin });
    expect((await scan()).exitCode).toBe(0);
    await writeFile(feed, `sha256,verdict,source\n${HELLO_SHA256},malicious,INC-43\n`);
    await runCli(["hashdb", "import", feed, "--hashdb", database], { resolvePlugin });
    const again = await scan();
    expect(again.stderr).toContain("0 reused, 1 scanned");
    expect(again.exitCode).toBe(1);
  }, 60_000);

  it("a malformed feed imports nothing and names the line (exit 2)", async () => {
    const database = path.join(directory, "bad.sqlite");
    const feed = path.join(directory, "bad.csv");
    await writeFile(feed, `sha256,verdict,source\n${HELLO_SHA256},malicious,ok\nnot-a-digest,benign,x\n`);
    const result = await runCli(["hashdb", "import", feed, "--hashdb", database], { resolvePlugin });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${feed}:3: sha256 must be a 64-hex SHA-256 digest`);
    const stats = await runCli(["hashdb", "stats", "--hashdb", database], { resolvePlugin });
    expect(stats.exitCode).toBe(2); // never created
  });

  it("where the database is: flag, environment, config, then the user's cache directory", () => {
    const env = { MODELAUDIT_HASHDB: "/env/db.sqlite", XDG_CACHE_HOME: "/xdg" };
    expect(hashDbPath({ flag: "a.sqlite", env, cwd: "/work", configured: "/c.sqlite" })).toEqual({
      file: "/work/a.sqlite",
      from: "flag",
    });
    expect(hashDbPath({ flag: undefined, env, cwd: "/work", configured: "/c.sqlite" }).from).toBe("env");
    expect(hashDbPath({ flag: undefined, env: {}, cwd: "/work", configured: "/c.sqlite" }).from).toBe("config");
    expect(userCacheDirectory({ XDG_CACHE_HOME: "/xdg" }, "linux", "/home/u")).toBe("/xdg/modelaudit");
    expect(userCacheDirectory({}, "linux", "/home/u")).toBe("/home/u/.cache/modelaudit");
    expect(userCacheDirectory({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/modelaudit");
    expect(defaultHashDbPath({ XDG_CACHE_HOME: "/xdg" })).toMatch(/modelaudit[/\\]known-hashes\.sqlite$/);
  });
});

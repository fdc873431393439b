#!/usr/bin/env node
// What a user gets from npm, checked end to end: every publishable package is packed with pnpm (as
// publishing does), the tarballs are installed with npm into empty folders (third-party dependencies
// come from the registry), and the installed commands scan real fixtures.
//
//   full: `modelaudit` and everything it depends on, plus the example third-party plugin
//   bare: `@modelaudit/cli` with only `@modelaudit/format-pickle` and `@modelaudit/detector-code-execution`
//
// Needs the packages built (`pnpm build`) and takes minutes (npm installs), so CI runs it from
// .ci/run rather than as a unit test: `pnpm install-check`. Exits 1 when a check fails.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { packPackages } from "./pack.mjs";
import { publishablePackages, ROOT } from "./workspace-packages.mjs";

const EXAMPLE_PLUGIN = "examples/plugin-internal-hosts";
const MALICIOUS_PT = path.join(ROOT, "examples/malicious/checkpoint-runs-echo.pt");
const MALICIOUS_PKL = path.join(ROOT, "examples/malicious/dotted-name-bypass.pkl");
const BENIGN_PT = path.join(ROOT, "examples/benign/linear-state-dict.pt");

const work = mkdtempSync(path.join(tmpdir(), "modelaudit-install-check-"));
const failures = [];
const started = Date.now();

try {
  const tarballsDir = path.join(work, "tarballs");
  mkdirSync(tarballsDir);
  const packed = packPackages([...publishablePackages().map(({ dir }) => dir), EXAMPLE_PLUGIN], tarballsDir);
  const tarball = new Map(packed.map((entry) => [entry.name, entry.filename]));
  log(`packed ${packed.length} packages`);

  // Full: the modelaudit package. npm resolves @modelaudit/* from these tarballs, the rest from the registry.
  // The server (an optional peer) is left out, as a scan-only user would.
  const full = project(
    "full",
    [...tarball.entries()].filter(([name]) => name !== "@modelaudit/server").map(([, file]) => file),
  );
  const scanPt = run(full, ["npx", "--no-install", "modelaudit", "scan", "--no-progress", MALICIOUS_PT]);
  check("npx modelaudit scan <malicious.pt> exits 1", scanPt.status === 1, scanPt);
  check(
    "  and reports code-execution/dangerous-global",
    scanPt.stdout.includes("code-execution/dangerous-global"),
    scanPt,
  );
  const clean = run(full, ["npx", "--no-install", "modelaudit", "scan", "--no-progress", BENIGN_PT]);
  check("npx modelaudit scan <benign.pt> exits 0", clean.status === 0, clean);

  // A third-party plugin named in the config is added to the preset, not instead of it.
  const model = path.join(full, "model-dir");
  mkdirSync(model);
  cpSync(MALICIOUS_PT, path.join(model, "checkpoint.pt"));
  writeFileSync(path.join(model, "notes.txt"), "trained on gpu7.ml.internal, data from nfs.corp\n");
  writeFileSync(
    path.join(full, "modelaudit.config.json"),
    JSON.stringify({ plugins: ["modelaudit-plugin-internal-hosts"] }),
  );
  const withPlugin = run(full, [
    "npx",
    "--no-install",
    "modelaudit",
    "scan",
    "--no-progress",
    "--format",
    "json",
    model,
  ]);
  const report = parseJson(withPlugin.stdout);
  const rules = new Set((report?.findings ?? []).map((finding) => finding.ruleId));
  check(
    "a config naming modelaudit-plugin-internal-hosts adds its rule to the preset's",
    withPlugin.status === 1 &&
      rules.has("internal-hosts/internal-hostname") &&
      rules.has("code-execution/dangerous-global"),
    withPlugin,
  );

  // Bare: the CLI with two plugins and nothing else.
  const bare = project("bare", [
    tarball.get("@modelaudit/cli"),
    tarball.get("@modelaudit/core"),
    tarball.get("@modelaudit/report"),
    tarball.get("@modelaudit/format-pickle"),
    tarball.get("@modelaudit/detector-code-execution"),
  ]);
  const noPreset = run(bare, ["npx", "--no-install", "modelaudit", "scan", "--no-progress", MALICIOUS_PKL]);
  check(
    "@modelaudit/cli without a config or preset exits 2 and says what to install",
    noPreset.status === 2 && noPreset.stderr.includes("install the modelaudit package"),
    noPreset,
  );
  writeFileSync(
    path.join(bare, "modelaudit.config.json"),
    JSON.stringify({ extends: [], plugins: ["@modelaudit/format-pickle", "@modelaudit/detector-code-execution"] }),
  );
  const barePkl = run(bare, ["npx", "--no-install", "modelaudit", "scan", "--no-progress", MALICIOUS_PKL]);
  check(
    "@modelaudit/cli with format-pickle and detector-code-execution finds a malicious pickle (exit 1)",
    barePkl.status === 1 && barePkl.stdout.includes("code-execution/dangerous-global"),
    barePkl,
  );
  const plugins = run(bare, ["npx", "--no-install", "modelaudit", "plugins", "--format", "json"]);
  const names = (parseJson(plugins.stdout)?.plugins ?? []).map((plugin) => plugin.name).sort();
  check(
    "  and loads exactly those two plugins",
    JSON.stringify(names) === JSON.stringify(["@modelaudit/detector-code-execution", "@modelaudit/format-pickle"]),
    plugins,
  );
  const serve = run(bare, ["npx", "--no-install", "modelaudit", "serve", "--help"]);
  check(
    "modelaudit serve without @modelaudit/server exits 2 and names the package",
    serve.status === 2 && serve.stderr.includes("npm install @modelaudit/server"),
    serve,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

log(
  `${failures.length === 0 ? "all checks passed" : `${failures.length} check(s) failed`} in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exitCode = failures.length === 0 ? 0 : 1;

/** An empty folder with the tarballs installed by npm. */
function project(name, tarballs) {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `install-check-${name}`, private: true }));
  const missing = tarballs.filter((file) => file === undefined);
  if (missing.length > 0) throw new Error(`${name}: a tarball was not packed`);
  const install = run(dir, [
    "npm",
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--loglevel=error",
    ...tarballs,
  ]);
  if (install.status !== 0) throw new Error(`npm install (${name}) failed:\n${install.stderr}`);
  log(`${name}: npm installed ${tarballs.length} tarballs`);
  return dir;
}

function run(cwd, [command, ...args]) {
  // npm's own config (a user's registry or cache) applies; the project folder is the cwd.
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

function check(label, ok, result) {
  log(`${ok ? "ok  " : "FAIL"} ${label}`);
  if (!ok) {
    failures.push(label);
    log(
      `     exit ${result.status}\n     stdout: ${result.stdout.slice(0, 2000)}\n     stderr: ${result.stderr.slice(0, 2000)}`,
    );
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function log(line) {
  process.stdout.write(`install-check: ${line}\n`);
}

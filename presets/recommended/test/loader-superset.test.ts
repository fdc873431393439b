import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { API_VERSION, type Detector, definePlugin, type Fact, type Origin } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";

// The differential fixtures (tooling/fixtures/differential-<family>/, see tooling/fixtures/README.md)
// record, for each file, what the REAL loader reaches: the globals its unpickler imports, the archive
// members it reads, the graph operators it builds, the external paths it opens. The loader is the
// truth: the scanner must reach at least all of that, or it is judging a different file than the one
// that will be loaded.
const fixturesRoot = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

interface Reached {
  loaders?: string[];
  globals?: string[];
  members?: string[];
  ops?: string[];
  paths?: string[];
}

interface Entry {
  file: string;
  description?: string;
  reached?: Reached;
}

/** What the scanner reached in one file, collected from the facts its handlers emitted. */
interface Seen {
  globals: Set<string>;
  members: Set<string>;
  ops: Set<string>;
  paths: Set<string>;
}

// Python 2 module names the unpickler maps for protocols below 3 (CPython's _compat_pickle): the
// loader records the mapped name, the scanner may report either spelling.
const PYTHON2_MODULES: Record<string, string> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  commands: "subprocess",
  cPickle: "pickle",
  exceptions: "builtins",
  Queue: "queue",
  SocketServer: "socketserver",
  urllib2: "urllib.request",
  httplib: "http.client",
};

function canonicalGlobal(qualified: string): string {
  const dot = qualified.indexOf(".");
  const module = dot < 0 ? qualified : qualified.slice(0, dot);
  const mapped = PYTHON2_MODULES[module];
  return mapped === undefined ? qualified : `${mapped}${qualified.slice(module.length)}`;
}

function record(seen: Seen, fact: Fact, origin: Origin): void {
  for (const member of origin.memberChain) seen.members.add(member);
  switch (fact.kind) {
    case "import":
      if (fact.module !== null && fact.name !== null) seen.globals.add(canonicalGlobal(`${fact.module}.${fact.name}`));
      break;
    case "call":
      if (fact.callee.module !== null && fact.callee.name !== null) {
        seen.globals.add(canonicalGlobal(`${fact.callee.module}.${fact.callee.name}`));
      }
      break;
    case "entry":
      seen.members.add(fact.name);
      if (fact.localName !== undefined) seen.members.add(fact.localName);
      break;
    case "graph-node":
      seen.ops.add(fact.op);
      if (fact.domain) seen.ops.add(`${fact.domain}::${fact.op}`);
      break;
    case "reference":
      seen.paths.add(fact.target);
      break;
    default:
      break;
  }
}

/** A test-only detector that judges nothing: it keeps, per scanned file, what the handlers reached. */
function recordingPlugin(byFile: Map<string, Seen>) {
  const recorder: Detector = {
    id: "loader-superset-recorder",
    description: "test-only: records import, call, graph-node, reference and entry facts per file",
    facts: ["import", "call", "graph-node", "reference", "entry"],
    rules: [],
    create: () => ({
      onFact(fact, origin) {
        let seen = byFile.get(origin.file);
        if (seen === undefined) {
          seen = { globals: new Set(), members: new Set(), ops: new Set(), paths: new Set() };
          byFile.set(origin.file, seen);
        }
        record(seen, fact, origin);
      },
    }),
  };
  return definePlugin({
    meta: { name: "loader-superset-recorder", version: "0.0.0" },
    apiVersion: API_VERSION,
    detectors: [recorder],
  });
}

const families = existsSync(fixturesRoot)
  ? readdirSync(fixturesRoot)
      .filter((name) => name.startsWith("differential-"))
      .filter((name) => existsSync(path.join(fixturesRoot, name, "manifest.json")))
      .sort()
  : [];

it("finds the differential fixture families", () => {
  expect(families).toEqual(
    expect.arrayContaining(["differential-joblib", "differential-npz", "differential-pickle", "differential-torch"]),
  );
});

const KINDS = [
  { key: "globals", what: "global(s) imported by the loader", facts: "import/call facts" },
  { key: "members", what: "archive member(s) read by the loader", facts: "entry facts or scanned member chains" },
  { key: "ops", what: "graph operator(s) built by the loader", facts: "graph-node facts" },
  { key: "paths", what: "external path(s)/URL(s) opened by the loader", facts: "reference facts" },
] as const;

describe.each(families)("loader superset: %s", (family) => {
  const directory = path.join(fixturesRoot, family);
  const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as Entry[];
  const byFile = new Map<string, Seen>();
  let reasons = new Map<string, string>();

  beforeAll(async () => {
    const report = await scanPaths(
      manifest.map((entry) => path.join(directory, entry.file)),
      [preset, recordingPlugin(byFile)],
    );
    reasons = new Map(report.files.map((file) => [file.path, `${file.outcome}; ${file.reasons.join("; ")}`]));
  }, 180_000);

  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", (_name, entry) => {
    expect(entry.reached, `${family}/${entry.file}: the manifest entry has no "reached" record`).toBeDefined();
    const absolute = path.join(directory, entry.file);
    const seen = byFile.get(absolute) ?? { globals: new Set(), members: new Set(), ops: new Set(), paths: new Set() };
    const loaders = (entry.reached?.loaders ?? []).join(", ") || "the loader";
    const problems: string[] = [];
    for (const kind of KINDS) {
      const wanted = entry.reached?.[kind.key] ?? [];
      const have = seen[kind.key];
      const missing = wanted.filter((item) => !have.has(kind.key === "globals" ? canonicalGlobal(item) : item));
      if (missing.length === 0) continue;
      problems.push(
        `${kind.what} but not reached by the scanner: ${JSON.stringify(missing)}\n` +
          `    loader (${loaders}) reached: ${JSON.stringify(wanted)}\n` +
          `    scanner's ${kind.facts}: ${JSON.stringify([...have].sort())}`,
      );
    }
    const message =
      `${family}/${entry.file} (${entry.description ?? ""})\n  scan outcome: ${reasons.get(absolute)}\n  ` +
      problems.join("\n  ");
    expect(problems, message).toEqual([]);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  API_VERSION,
  compareSeverity,
  definePlugin,
  type Fact,
  type Finding,
  type FormatHandler,
  type Plugin,
  type Severity,
} from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Issue 12: every string in every format reaches the code, network and secrets detectors. Runs the
 * built format and detector plugins over tooling/fixtures/text-channel (the same attack strings in
 * every format, encoded layers, OpenSSH keys, raw bytes, benign provenance and ten model families),
 * and checks, handler by handler, that every free-text field a handler parses reaches the detectors
 * as a text or code fact (the canary fixtures).
 */

const ROOT = path.resolve(import.meta.dirname, "../../..");
const FIXTURES = path.join(ROOT, "tooling/fixtures/text-channel");

async function loadPlugins(prefix: "format-" | "detector-"): Promise<Plugin[]> {
  const directories = readdirSync(path.join(ROOT, "plugins")).filter((name) => name.startsWith(prefix));
  return Promise.all(
    directories.map(
      async (name) =>
        (await import(pathToFileURL(path.join(ROOT, "plugins", name, "dist/index.js")).href)).default as Plugin,
    ),
  );
}

interface Expectation {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: Severity | null;
  rules: string[];
  level?: "standard" | "thorough";
  description: string;
}

const worst = (findings: Finding[]): Severity | null =>
  findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;
const flagged = (findings: Finding[]) => findings.some((finding) => finding.severity !== "info");

describe("tooling/fixtures/text-channel through every built plugin", () => {
  const manifest = JSON.parse(readFileSync(path.join(FIXTURES, "manifest.json"), "utf8")) as Expectation[];
  // The ten model families' real files are listed in the manifest as clean (families/SOURCES.md says where from).
  const families = manifest
    .filter((entry) => entry.file.startsWith("families/"))
    .map((entry) => path.join(FIXTURES, entry.file));
  const findings = new Map<string, Finding[]>();
  const outcomes = new Map<string, string>();

  beforeAll(async () => {
    const plugins = [...(await loadPlugins("format-")), ...(await loadPlugins("detector-"))];
    for (const level of ["standard", "thorough"] as const) {
      const files = manifest
        .filter((entry) => (entry.level ?? "standard") === level)
        .map((entry) => path.join(FIXTURES, entry.file));
      const report = await scanPaths(files, plugins, { level });
      for (const file of report.files) outcomes.set(file.path, file.outcome);
      for (const finding of report.findings)
        findings.set(finding.file, [...(findings.get(finding.file) ?? []), finding]);
    }
  }, 300_000);

  // As presets/recommended's fixtures-manifest test reads every manifest: the worst severity exactly.
  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", (_file, entry) => {
    const ours = findings.get(path.join(FIXTURES, entry.file)) ?? [];
    const summary = ours.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`).join("\n");
    if (entry.expect === "clean") {
      expect(flagged(ours), summary).toBe(false);
      if (entry.maxSeverity === null) expect(ours, summary).toEqual([]);
      return;
    }
    expect(worst(ours), summary).toBe(entry.maxSeverity);
    for (const rule of entry.rules) {
      expect(
        ours.filter((finding) => finding.severity !== "info").map((finding) => finding.ruleId),
        summary,
      ).toContain(rule);
    }
  });

  it("names the encoding chain of a decoded value in the finding's location", () => {
    const [finding] = (findings.get(path.join(FIXTURES, "safetensors/gzip-base64-c2.safetensors")) ?? []).filter(
      (candidate) => candidate.ruleId === "network/c2-indicator",
    );
    expect(finding?.location?.path).toBe("__metadata__.runtime_profile (base64 > gzip)");
  });

  it("reads tensor bytes for network indicators at thorough only: non-tensor bytes at standard", async () => {
    // The manifest holds the thorough verdict (critical); at standard the same file's tensor data is not read.
    const file = path.join(FIXTURES, "raw/tensor-bytes-c2.safetensors");
    expect((findings.get(file) ?? []).map((finding) => finding.ruleId)).toContain("network/c2-indicator");
    const plugins = [...(await loadPlugins("format-")), ...(await loadPlugins("detector-"))];
    const standard = await scanPaths([file], plugins, { level: "standard" });
    expect(standard.findings.filter((finding) => finding.ruleId.startsWith("network/"))).toEqual([]);
    // An unknown file has no tensors: all of its bytes are read at standard.
    const unknown = await scanPaths([path.join(FIXTURES, "raw/unknown-format.bin")], plugins, { level: "standard" });
    expect(unknown.findings.map((finding) => finding.ruleId)).toContain("network/c2-indicator");
  });

  it("raises nothing at warning or above on ten model families' configs, tokenizers and model cards", () => {
    expect(families.length).toBeGreaterThanOrEqual(30);
    // Read to the end: a real file we could not parse would be no evidence of anything.
    expect(families.filter((file) => !["clean", "findings"].includes(outcomes.get(file) ?? ""))).toEqual([]);
    const flaggedFiles = families.filter((file) => flagged(findings.get(file) ?? []));
    expect(flaggedFiles.map((file) => [file, (findings.get(file) ?? []).map((finding) => finding.message)])).toEqual(
      [],
    );
  });

  it("detects every attack fixture and flags no benign one (the counts for the issue note)", () => {
    const malicious = manifest.filter((entry) => entry.expect === "findings");
    const benign = manifest.filter((entry) => entry.expect === "clean");
    const detected = malicious.filter((entry) => flagged(findings.get(path.join(FIXTURES, entry.file)) ?? []));
    const falsePositives = benign.filter((entry) => flagged(findings.get(path.join(FIXTURES, entry.file)) ?? []));
    console.log(
      `text-channel fixtures: detected ${detected.length}/${malicious.length} attacks, ` +
        `false positives ${falsePositives.length}/${benign.length} benign files (${families.length} of them from ten model families)`,
    );
    expect(detected.length).toBe(malicious.length);
    expect(falsePositives).toEqual([]);
  });
});

interface CanaryEntry {
  file: string;
  handler: string;
  canaries: string[];
}

/**
 * Handlers with no canary fixture, and why: containers and binaries whose own bytes (member names,
 * strings in code sections) reach the detectors through the printable-strings channel and
 * whose members are sources of their own; formats no library here writes.
 */
const WITHOUT_CANARY: Record<string, string> = {
  "7z": "container: members are sources; names are entry facts",
  gzip: "compression: the inflated stream is a source of its own",
  "joblib-zfile": "compression: the inflated stream is a source of its own",
  zlib: "compression: the inflated stream is a source of its own",
  bzip2: "compression: the inflated stream is a source of its own",
  xz: "compression: the inflated stream is a source of its own",
  lzma: "compression: the inflated stream is a source of its own",
  zstd: "compression: the inflated stream is a source of its own",
  lz4: "compression: the inflated stream is a source of its own",
  elf: "binary executable: its strings reach the strings channel",
  pe: "binary executable: its strings reach the strings channel",
  "mach-o": "binary executable: its strings reach the strings channel",
  ggml: "legacy GGML is recognised, not parsed (the file is inconclusive): it parses no strings",
  "weights-index": "the safetensors-index parse (its canary covers the index's metadata and tensor names)",
};

describe("one text path: every handler emits each free-text value it parses", () => {
  const manifest = JSON.parse(readFileSync(path.join(FIXTURES, "canary/manifest.json"), "utf8")) as CanaryEntry[];
  let handlers: FormatHandler[] = [];
  let formats: Plugin[] = [];
  beforeAll(async () => {
    formats = await loadPlugins("format-");
    handlers = formats.flatMap((plugin) => [...(plugin.formats ?? [])]);
  });

  it("every handler has a canary fixture or a stated reason not to", () => {
    const covered = new Set(manifest.map((entry) => entry.handler));
    const uncovered = handlers.map((handler) => handler.id).filter((id) => !covered.has(id) && !(id in WITHOUT_CANARY));
    expect(uncovered).toEqual([]);
    // A reason for a handler that no longer exists, or that now has a canary, is stale.
    const ids = new Set(handlers.map((handler) => handler.id));
    expect(Object.keys(WITHOUT_CANARY).filter((id) => !ids.has(id) || covered.has(id))).toEqual([]);
  });

  it.each(manifest.map((entry) => [entry.handler, entry] as const))(
    "%s: every marker reaches a text or code fact",
    async (_handler, entry) => {
      const seen: Fact[] = [];
      const recorder = definePlugin({
        meta: { name: "text-recorder", version: "0.0.0", namespace: "text-recorder" },
        apiVersion: API_VERSION,
        detectors: [
          {
            id: "text-recorder",
            description: "records the text and code facts",
            facts: ["text", "code"],
            rules: [],
            create: () => ({ onFact: (fact) => seen.push(fact) }),
          },
        ],
        rules: {},
      });
      const report = await scanPaths([path.join(FIXTURES, entry.file)], [...formats, recorder]);
      expect(report.files[0]?.formats).toContain(entry.handler);
      // A metadata key counts too: detectors read it as the text's key.
      const texts = seen.flatMap((fact) =>
        fact.kind === "text" ? [fact.text, fact.key ?? ""] : fact.kind === "code" ? [fact.text] : [],
      );
      const missing = entry.canaries.filter((canary) => !texts.some((text) => text.includes(canary)));
      expect(missing).toEqual([]);
    },
  );
});

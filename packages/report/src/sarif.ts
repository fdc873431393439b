import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { compareSeverity, type Finding, type Severity } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { describeLocation, describeMemberChain } from "./describe-location.js";
import { skippedOf } from "./json.js";
import { markdownReference, referenceTags, shortReference } from "./references.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_TOOL_NAME = "ModelAudit-TS";
const INFORMATION_URI = "https://github.com/modelaudit-ts/modelaudit-ts";
/** Key of our fingerprint in `partialFingerprints`; bump the suffix if the recipe ever changes. */
export const FINGERPRINT_KEY = "modelauditFinding/v1";

/** What SARIF can say about a rule beyond the findings: `Registry.rules` from core fits as is. */
export interface SarifRuleInfo {
  meta: { description: string; docs?: { url?: string } };
}

export interface SarifOptions {
  /** Absolute file paths under this directory become relative URIs. Default: the process cwd. */
  baseDirectory?: string;
  /** Rule descriptions and docs links by rule id (e.g. the registry's `rules`). */
  rules?: ReadonlyMap<string, SarifRuleInfo>;
}

/** GitHub code scanning reads `security-severity` (0.0-10.0, as a string) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.0", warning: "6.0", info: "2.0" };
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", warning: "warning", info: "note" };

// The subset of SARIF 2.1.0 we write; names follow the specification.
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  /** The commit each remote repository was scanned at (SARIF §3.14.13). */
  versionControlProvenance?: { repositoryUri: string; revisionId?: string; branch?: string }[];
  invocations: SarifInvocation[];
  results: SarifResult[];
  properties: Record<string, unknown>;
}

export interface SarifDriver {
  name: string;
  version: string;
  semanticVersion: string;
  informationUri: string;
  rules: SarifRule[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: { "security-severity": string; tags: string[]; precision: string };
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A text region (line, column) and/or a binary one (byte offset), SARIF §3.30. */
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  byteOffset?: number;
}

export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error" | "warning" | "note";
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  exitCode: number;
  toolExecutionNotifications: {
    level: "error" | "warning" | "note";
    message: { text: string };
    locations: SarifLocation[];
    descriptor: { id: string };
  }[];
}

/** SARIF 2.1.0 with one run, as GitHub code scanning accepts it. Rule ids are our rule ids. */
export function toSarifLog(report: Report, options: SarifOptions = {}): SarifLog {
  const baseDirectory = options.baseDirectory ?? process.cwd();
  const rules = buildRules(report.findings, options.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

  const results: SarifResult[] = report.findings.map((finding) => {
    const artifactLocation = artifactLocationFor(finding.file, baseDirectory);
    const properties: Record<string, unknown> = {
      confidence: finding.confidence,
      detector: finding.detector,
      messageId: finding.messageId,
    };
    if (finding.memberChain.length > 0) properties.memberChain = finding.memberChain;
    if (finding.location) properties.location = finding.location;
    if (finding.evidence !== undefined) properties.evidence = finding.evidence;
    if (finding.references.length > 0) properties.references = finding.references;
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
      level: LEVEL[finding.severity],
      message: { text: resultMessage(finding) },
      locations: [locationFor(finding, artifactLocation)],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding, artifactLocation.uri) },
      properties,
    };
  });

  // Files we could not fully analyse are not results (no rule fired) but the run must say so.
  const notifications: SarifInvocation["toolExecutionNotifications"] = [];
  for (const file of report.files) {
    if (file.reasons.length === 0 && file.outcome !== "inconclusive" && file.outcome !== "error") continue;
    const reasons = file.reasons.length > 0 ? file.reasons.join("; ") : file.outcome;
    notifications.push({
      level: file.outcome === "error" ? "error" : "warning",
      message: { text: `${file.outcome}: ${reasons}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocationFor(file.path, baseDirectory) } }],
      descriptor: { id: `modelaudit/${file.outcome === "error" ? "error" : "inconclusive"}` },
    });
  }
  // Inputs passed over (special files, links not followed, ignored paths, empty directories): notes.
  for (const entry of skippedOf(report)) {
    notifications.push({
      level: "note",
      message: { text: `skipped: ${entry.reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocationFor(entry.path, baseDirectory) } }],
      descriptor: { id: "modelaudit/skipped" },
    });
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: SARIF_TOOL_NAME,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        ...versionControlProvenance(report),
        invocations: [
          { executionSuccessful: true, exitCode: report.summary.exitCode, toolExecutionNotifications: notifications },
        ],
        results,
        properties: {
          schemaVersion: report.schemaVersion,
          plugins: report.plugins,
          level: report.level,
          failOn: report.failOn,
          ...(report.sources && report.sources.length > 0 ? { sources: report.sources } : {}),
          summary: report.summary,
        },
      },
    ],
  };
}

/** Hugging Face repositories scanned at a commit; absent (not an empty array) when there are none. */
function versionControlProvenance(report: Report): Pick<SarifRun, "versionControlProvenance"> {
  const provenance = (report.sources ?? [])
    .filter((source) => source.kind === "huggingface")
    .map((source) => ({
      repositoryUri: source.url,
      ...(source.commit !== undefined ? { revisionId: source.commit } : {}),
      ...(source.revision !== undefined && source.revision !== source.commit ? { branch: source.revision } : {}),
    }));
  return provenance.length > 0 ? { versionControlProvenance: provenance } : {};
}

/** The SARIF log as text: 2-space indent, trailing newline. */
export function toSarif(report: Report, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}

/** One SARIF rule per rule id with a finding, sorted by id; its severity is the worst one seen. */
function buildRules(findings: readonly Finding[], known: ReadonlyMap<string, SarifRuleInfo> | undefined): SarifRule[] {
  const byId = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byId.get(finding.ruleId);
    if (list) list.push(finding);
    else byId.set(finding.ruleId, [finding]);
  }
  return [...byId.keys()].sort().map((id) => {
    const ruleFindings = byId.get(id) ?? [];
    const first = ruleFindings[0] as Finding;
    const worst = ruleFindings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? first.severity;
    const info = known?.get(id);
    const description = info?.meta.description ?? id;
    const docsUrl = info?.meta.docs?.url;
    const references =
      first.references.length > 0 ? `\n\nReferences: ${first.references.map(shortReference).join(", ")}` : "";
    const referenceLinks =
      first.references.length > 0
        ? `\n\n**References:**\n${first.references.map((reference) => `- ${markdownReference(reference)}`).join("\n")}`
        : "";
    const rule: SarifRule = {
      id,
      name: ruleName(id),
      shortDescription: { text: description },
      fullDescription: { text: description },
      help: {
        text: `${first.remediation}${references}`,
        markdown: `**Remediation:** ${first.remediation}${referenceLinks}${docsUrl ? `\n\n[Documentation](${docsUrl})` : ""}`,
      },
      defaultConfiguration: { level: LEVEL[worst] },
      properties: {
        "security-severity": SECURITY_SEVERITY[worst],
        tags: ["security", ...referenceTags(first.references)],
        precision: precisionFor(Math.max(...ruleFindings.map((finding) => finding.confidence))),
      },
    };
    // The rule's own page, else the first thing it cites (the CWE entry, say).
    const helpUri = docsUrl ?? first.references[0]?.url;
    if (helpUri) rule.helpUri = helpUri;
    return rule;
  });
}

/** SARIF `name` is a PascalCase identifier-like label: `code-execution/dangerous-global` → `CodeExecutionDangerousGlobal`. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}

function precisionFor(confidence: number): string {
  if (confidence >= 0.9) return "very-high";
  if (confidence >= 0.7) return "high";
  if (confidence >= 0.4) return "medium";
  return "low";
}

function resultMessage(finding: Finding): string {
  const where = [
    finding.memberChain.length > 0 ? `in ${describeMemberChain(finding.memberChain)}` : "",
    describeLocation(finding.location) ? `at ${describeLocation(finding.location)}` : "",
  ].filter(Boolean);
  return where.length > 0 ? `${finding.message} (${where.join(", ")})` : finding.message;
}

function locationFor(finding: Finding, artifactLocation: SarifArtifactLocation): SarifLocation {
  const location: SarifLocation = { physicalLocation: { artifactLocation } };
  // A line is only meaningful for the top-level file; inside a member it would point at the wrong bytes.
  // So is a byte offset: inside a member it counts from the member's start, not the file's.
  if (finding.memberChain.length === 0) {
    const line = finding.location?.line;
    const column = finding.location?.column;
    const offset = finding.location?.offset;
    const hasLine = line !== undefined && line >= 1;
    const hasOffset = offset !== undefined && Number.isSafeInteger(offset) && offset >= 0;
    if (hasLine || hasOffset) {
      // SARIF allows text and binary properties in one region. GitHub code scanning shows a result
      // only with a startLine, so a binary location also says line 1 (the file's start).
      const region: SarifRegion = { startLine: hasLine ? line : 1 };
      if (hasLine && column !== undefined && column >= 1) region.startColumn = column;
      if (hasOffset) region.byteOffset = offset;
      location.physicalLocation.region = region;
    }
  }
  if (finding.memberChain.length > 0) {
    location.logicalLocations = [
      {
        name: finding.memberChain.at(-1) as string,
        fullyQualifiedName: describeMemberChain(finding.memberChain),
        kind: "member",
      },
    ];
  }
  return location;
}

/**
 * A relative URI with forward slashes when the file sits under the base directory (what GitHub
 * resolves against the repository root), else an absolute `file:` URI.
 */
export function artifactLocationFor(file: string, baseDirectory: string): SarifArtifactLocation {
  // Files of remote inputs are named by URI (`hf://org/repo@<commit>/model.bin`, `https://...`) already.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return { uri: file };
  const absolute = path.resolve(baseDirectory, file);
  const relative = path.relative(baseDirectory, absolute);
  if (relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  const uri = relative.split(path.sep).join("/").split("/").map(encodeURIComponent).join("/");
  return { uri, uriBaseId: "%SRCROOT%" };
}

/** Stable across machines and runs: rule, relative file, member chain and offset; never the message. */
function fingerprint(finding: Finding, uri: string): string {
  const key = [finding.ruleId, uri, finding.memberChain.join("\u0000"), String(finding.location?.offset ?? "")];
  return createHash("sha256").update(key.join("\u0001")).digest("hex");
}

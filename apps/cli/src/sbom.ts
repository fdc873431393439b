import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { FORMATS } from "@modelaudit/core";
import type { FileEntry, RemoteSource, Report } from "@modelaudit/core/engine";
import { UsageError } from "./usage-error.js";

/**
 * A CycloneDX 1.6 ML-BOM of a scan (`modelaudit scan --sbom FILE`): one `machine-learning-model`
 * component per model file, with its digests, format, declared licenses, supplier and base models
 * where the scan recorded them, and the scan's verdict as properties.
 *
 * Licenses, sources and base models come from the notes the supply-chain detector leaves on its
 * passed checks (`supply-chain/license`, `supply-chain/provenance`, `supply-chain/lineage`; each note
 * starts with the SPDX id or the repository address). A model file takes the licenses and base models
 * recorded in its own metadata, else those of its model folder: the nearest of its folder and the
 * folder above that holds a recorded license (a model card, a LICENSE file). Its supplier is the
 * repository of its Hugging Face cache folder, the remote of the git checkout it sits in, or the
 * `hf://` input it was downloaded from.
 */

export interface SbomOptions {
  tool: { name: string; version: string };
  /** Component names are paths relative to this directory (remote files keep their `hf://` names). */
  baseDirectory: string;
  /** Fixed in tests; a fresh random UUID otherwise. */
  serialNumber?: string;
  timestamp?: Date;
}

/** Formats that are a model (weights, graphs, serialized estimators), not repository metadata. */
const MODEL_FORMATS = new Set<string>([
  FORMATS.pickle,
  FORMATS.numpy,
  FORMATS.joblib,
  FORMATS.joblibZfile,
  FORMATS.dill,
  FORMATS.cloudpickle,
  FORMATS.pytorchLegacy,
  FORMATS.pytorchZip,
  FORMATS.torchscript,
  FORMATS.npz,
  FORMATS.nemo,
  FORMATS.safetensors,
  FORMATS.gguf,
  FORMATS.ggufBigEndian,
  FORMATS.ggml,
  FORMATS.ggmf,
  FORMATS.ggjt,
  FORMATS.ggla,
  FORMATS.onnx,
  FORMATS.kerasH5,
  FORMATS.kerasV3,
  FORMATS.keras,
  FORMATS.tensorflowSavedModel,
  FORMATS.tensorflowGraphDef,
  FORMATS.tensorflowMetaGraph,
  FORMATS.tensorflowCheckpoint,
  FORMATS.tflite,
  FORMATS.xgboostJson,
  FORMATS.xgboostUbj,
  FORMATS.xgboostBinary,
  FORMATS.lightgbmText,
  FORMATS.gitLfsPointer,
]);
/** A file no handler could read is still listed when its name says it is a model: never left out silently. */
const MODEL_NAME =
  /\.(?:safetensors|bin|pt|pth|ckpt|gguf|ggml|onnx|h5|hdf5|keras|tflite|pkl|pickle|joblib|npy|npz|pb|msgpack|nemo|llamafile|mlmodel)$/i;

const LICENSE_RULE = "supply-chain/license";
const PROVENANCE_RULE = "supply-chain/provenance";
const LINEAGE_RULE = "supply-chain/lineage";
/** Notes of verified signatures (`signed by …`), shown as properties of the file they cover. */
const SIGNATURE_RULE = "supply-chain/signature";
const RECORD_RULES = new Set([LICENSE_RULE, PROVENANCE_RULE, LINEAGE_RULE, SIGNATURE_RULE]);
/** A note's leading token: an SPDX id, or a repository address `host/org/name[@revision]`. */
const LEADING_TOKEN = /^(\S+) /;
const REPOSITORY = /^([\w.-]+)\/([^/@\s]+)\/([^/@\s]+)(?:@(\S+))?$/;
const COMMIT = /^[0-9a-f]{40}$/;
/** How far up from a model file its model folder may be (diffusers keep weights one folder below the card). */
const FOLDER_LEVELS = 2;
const MAX_REASONS = 5;

interface Repository {
  host: string;
  org: string;
  name: string;
  revision?: string;
}

type Json = Record<string, unknown>;

/** `--sbom FILE`: writes the BOM of the report (a path relative to the base directory); an unwritable file is a usage error. */
export async function writeSbom(report: Report, file: string, options: SbomOptions): Promise<void> {
  try {
    await writeFile(
      path.resolve(options.baseDirectory, file),
      `${JSON.stringify(buildSbom(report, options), null, 2)}\n`,
    );
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

export function buildSbom(report: Report, options: SbomOptions): Json {
  const records = notesByFile(report);
  const components = report.files
    .filter(isModelFile)
    .map((file) => component(file, report, records, options.baseDirectory));
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${options.serialNumber ?? randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (options.timestamp ?? new Date()).toISOString(),
      tools: {
        components: [
          { type: "application", name: options.tool.name, version: options.tool.version },
          ...report.plugins.map((plugin) => ({ type: "library", name: plugin.name, version: plugin.version })),
        ],
      },
      properties: [
        { name: "modelaudit:report-schema", value: report.schemaVersion },
        { name: "modelaudit:level", value: report.level },
        { name: "modelaudit:fail-on", value: report.failOn },
        { name: "modelaudit:exit-code", value: String(report.summary.exitCode) },
      ],
    },
    components,
  };
}

function isModelFile(file: FileEntry): boolean {
  return file.formats.some((format) => MODEL_FORMATS.has(format)) || MODEL_NAME.test(file.path);
}

/** Notes of the record rules by file and rule, the noted files by folder, and the git configs among them. */
interface Records {
  byFile: Map<string, Map<string, string[]>>;
  byDirectory: Map<string, string[]>;
  gitConfigs: string[];
}

function notesByFile(report: Report): Records {
  const byFile = new Map<string, Map<string, string[]>>();
  for (const check of report.checks) {
    if (!check.notes || !RECORD_RULES.has(check.ruleId)) continue;
    const rules = byFile.get(check.file) ?? new Map<string, string[]>();
    rules.set(check.ruleId, [...(rules.get(check.ruleId) ?? []), ...check.notes]);
    byFile.set(check.file, rules);
  }
  const byDirectory = new Map<string, string[]>();
  for (const file of byFile.keys()) {
    const directory = path.dirname(file);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
  }
  const gitConfigs = [...byFile.keys()].filter((file) => /[\\/]\.git[\\/]config$/.test(file));
  return { byFile, byDirectory, gitConfigs };
}

function component(file: FileEntry, report: Report, records: Records, base: string): Json {
  const leading = (rule: string, files: readonly string[]) =>
    unique(
      files.flatMap((name) =>
        (records.byFile.get(name)?.get(rule) ?? []).map((note) => LEADING_TOKEN.exec(note)?.[1] ?? ""),
      ),
    );
  const folder = modelFolder(file.path, records);
  // A license in the file's own metadata (GGUF `general.license`) is the file's; otherwise its folder's.
  const ownLicenses = leading(LICENSE_RULE, [file.path]);
  const licenses = ownLicenses.length > 0 ? ownLicenses : leading(LICENSE_RULE, folder);
  const ancestors = unique([...leading(LINEAGE_RULE, [file.path]), ...leading(LINEAGE_RULE, folder)])
    .map(parseRepository)
    .filter((repository): repository is Repository => repository !== null);
  const source = supplierOf(file.path, report, records, leading);

  const hashes = [
    ...(file.sha256 ? [{ alg: "SHA-256", content: file.sha256 }] : []),
    ...(file.sha512 ? [{ alg: "SHA-512", content: file.sha512 }] : []),
  ];
  const result: Json = {
    type: "machine-learning-model",
    "bom-ref": `file:${file.path}`,
    name: displayName(file.path, base),
  };
  if (source?.revision) result.version = source.revision;
  if (source) {
    result.supplier = { name: source.org, url: [`https://${source.host}/${source.org}`] };
    const purl = packageUrl(source);
    if (purl) result.purl = purl;
  }
  if (hashes.length > 0) result.hashes = hashes;
  if (licenses.length > 0) result.licenses = licenses.map(licenseChoice);
  if (ancestors.length > 0) {
    result.pedigree = {
      ancestors: ancestors.map((ancestor) => ({
        type: "machine-learning-model",
        name: `${ancestor.org}/${ancestor.name}`,
        ...(ancestor.revision ? { version: ancestor.revision } : {}),
        ...(packageUrl(ancestor) ? { purl: packageUrl(ancestor) } : {}),
      })),
    };
  }
  const signatures = records.byFile.get(file.path)?.get(SIGNATURE_RULE) ?? [];
  result.properties = [
    ...properties(file, report),
    ...signatures.map((note) => ({ name: "modelaudit:signature", value: note })),
  ];
  return result;
}

/** The files whose records describe the model folder of `file`: the nearest folder (up to FOLDER_LEVELS) with a recorded license. */
function modelFolder(file: string, records: Records): string[] {
  let directory = path.dirname(file);
  for (let level = 0; level < FOLDER_LEVELS; level++) {
    const inFolder = records.byDirectory.get(directory) ?? [];
    if (inFolder.some((candidate) => records.byFile.get(candidate)?.has(LICENSE_RULE))) return inFolder;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return records.byDirectory.get(path.dirname(file)) ?? [];
}

function supplierOf(
  file: string,
  report: Report,
  records: Records,
  leading: (rule: string, files: readonly string[]) => string[],
): Repository | null {
  const own = leading(PROVENANCE_RULE, [file])
    .map(parseRepository)
    .find((repository) => repository !== null);
  if (own) return own;
  // The remote of the git checkout the file sits in: `<checkout>/.git/config` for an ancestor folder.
  for (const candidate of records.gitConfigs) {
    const checkout = path.dirname(path.dirname(candidate));
    if (!file.startsWith(`${checkout}${path.sep}`) && !file.startsWith(`${checkout}/`)) continue;
    const remote = leading(PROVENANCE_RULE, [candidate])
      .map(parseRepository)
      .find((repository) => repository !== null);
    if (remote) return remote;
  }
  return remoteSource(file, report.sources ?? []);
}

/** A file downloaded from `hf://org/name@revision`: the Hub repository at the commit it resolved to. */
function remoteSource(file: string, sources: readonly RemoteSource[]): Repository | null {
  for (const source of sources) {
    const match = /^https?:\/\/([^/]+)\/([^/]+)\/([^/]+)/.exec(source.url);
    if (source.kind !== "huggingface" || !match) continue;
    const [, host, org, name] = match as unknown as [string, string, string, string];
    const revision = source.commit ?? source.revision;
    // The report names downloaded files under `hf://org/name@<commit>/`; the input may name a branch.
    const roots = [source.input, `hf://${org}/${name}@${revision}`];
    if (!roots.some((root) => file === root || file.startsWith(`${root}/`))) continue;
    return { host, org, name, ...(revision ? { revision } : {}) };
  }
  return null;
}

function parseRepository(address: string): Repository | null {
  const match = REPOSITORY.exec(address);
  if (!match) return null;
  const [, host, org, name, revision] = match as unknown as [string, string, string, string, string | undefined];
  return { host, org, name, ...(revision ? { revision } : {}) };
}

/** Package URLs (purl-spec) for the Hub and GitHub; the version only when it is a commit. */
function packageUrl(repository: Repository): string | undefined {
  const type =
    repository.host === "huggingface.co" ? "huggingface" : repository.host === "github.com" ? "github" : null;
  if (!type) return undefined;
  const namespace = type === "huggingface" ? repository.org : repository.org.toLowerCase();
  const name = type === "huggingface" ? repository.name : repository.name.toLowerCase();
  const version = repository.revision && COMMIT.test(repository.revision) ? `@${repository.revision}` : "";
  return `pkg:${type}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}${version}`;
}

function licenseChoice(spdx: string): Json {
  // SPDX ids go in `id` (the schema's list); LicenseRef-… (OpenRAIL, Llama, Gemma, custom terms) in `name`.
  const license = spdx.startsWith("LicenseRef-") ? { name: spdx } : { id: spdx };
  return { license: { ...license, acknowledgement: "declared" } };
}

function properties(file: FileEntry, report: Report): { name: string; value: string }[] {
  const findings = report.findings.filter((finding) => finding.file === file.path);
  const count = (severity: string) => String(findings.filter((finding) => finding.severity === severity).length);
  return [
    { name: "modelaudit:outcome", value: file.outcome },
    ...file.formats.map((format) => ({ name: "modelaudit:format", value: format })),
    { name: "modelaudit:size", value: String(file.size) },
    { name: "modelaudit:findings:critical", value: count("critical") },
    { name: "modelaudit:findings:warning", value: count("warning") },
    { name: "modelaudit:findings:info", value: count("info") },
    ...unique(findings.map((finding) => finding.ruleId)).map((ruleId) => ({ name: "modelaudit:rule", value: ruleId })),
    ...file.reasons.slice(0, MAX_REASONS).map((reason) => ({ name: "modelaudit:reason", value: reason })),
  ];
}

function displayName(file: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  const relative = path.relative(base, path.resolve(base, file));
  return (relative.startsWith("..") || path.isAbsolute(relative) ? file : relative).split(path.sep).join("/");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))];
}

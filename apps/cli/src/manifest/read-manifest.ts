import { type ExpectedFile, MANIFEST_VERSION } from "./manifest.js";

/** A manifest larger than this is refused: it lists digests, it is not a model. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The in-toto predicate type of OpenSSF model-signing (OMS) v1.0 statements. */
export const OMS_PREDICATE_TYPE = "https://model_signing/signature/v1.0";
/** Paths model-signing always leaves out of a model's manifest (OMS spec, default ignore paths). */
export const OMS_DEFAULT_IGNORED = [".git", ".gitignore", ".gitattributes", ".github"];

export interface ReadManifest {
  kind: "modelaudit" | "model-signing";
  files: ExpectedFile[];
  /** Paths (and folders) the manifest does not cover, so they are not "added". */
  ignorePaths: string[];
}

export class ManifestError extends Error {
  override name = "ManifestError";
}

/**
 * Reads what a folder should hold: a ModelAudit manifest (`modelaudit hash -o`), an OpenSSF
 * model-signing bundle (a Sigstore bundle whose DSSE payload is the in-toto statement), or the bare
 * statement. Reading a bundle here does not verify its signature: `verify --signature` does that.
 */
export function readManifest(text: string, name = "manifest"): ReadManifest {
  if (text.length > MAX_MANIFEST_BYTES) throw new ManifestError(`${name}: larger than ${MAX_MANIFEST_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${name} is not JSON: ${(error as Error).message}`);
  }
  const record = objectAt(value, name);
  if ("manifestVersion" in record) return readModelAuditManifest(record, name);
  return readStatement(statementOf(record, name), name);
}

function readModelAuditManifest(record: Record<string, unknown>, name: string): ReadManifest {
  if (record.manifestVersion !== MANIFEST_VERSION) {
    throw new ManifestError(`${name}: manifestVersion ${JSON.stringify(record.manifestVersion)} is not supported`);
  }
  if (!Array.isArray(record.files)) throw new ManifestError(`${name}: files must be an array`);
  const files = record.files.map((item: unknown, index): ExpectedFile => {
    const where = `${name}: files[${index}]`;
    const file = objectAt(item, where);
    const expected: ExpectedFile = {
      path: stringAt(file.path, `${where}.path`),
      sha256: hexAt(file.sha256, 64, where),
    };
    if (file.sha512 !== undefined) expected.sha512 = hexAt(file.sha512, 128, where);
    if (typeof file.size === "number") expected.size = file.size;
    if (Array.isArray(file.members)) {
      expected.members = file.members.map((member: unknown, position) => {
        const at = objectAt(member, `${where}.members[${position}]`);
        const chain = at.memberChain;
        if (!Array.isArray(chain) || chain.some((part) => typeof part !== "string")) {
          throw new ManifestError(`${where}.members[${position}].memberChain must be an array of names`);
        }
        return {
          memberChain: chain as string[],
          size: typeof at.size === "number" ? at.size : 0,
          sha256: hexAt(at.sha256, 64, `${where}.members[${position}]`),
        };
      });
    }
    return expected;
  });
  return { kind: "modelaudit", files, ignorePaths: [] };
}

/** The in-toto statement: the bundle's DSSE payload, or the document itself. */
function statementOf(record: Record<string, unknown>, name: string): Record<string, unknown> {
  const envelope = record.dsseEnvelope;
  if (envelope === undefined) return record;
  const payload = objectAt(envelope, `${name}: dsseEnvelope`).payload;
  if (typeof payload !== "string") throw new ManifestError(`${name}: dsseEnvelope.payload must be base64 text`);
  try {
    return objectAt(JSON.parse(Buffer.from(payload, "base64").toString("utf8")), `${name}: the DSSE payload`);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`${name}: the DSSE payload is not a JSON statement`);
  }
}

/** The resources of an OMS v1.0 statement (`files` serialization, SHA-256) as expected files. */
export function readStatement(statement: Record<string, unknown>, name: string): ReadManifest {
  if (statement.predicateType !== OMS_PREDICATE_TYPE) {
    throw new ManifestError(
      `${name}: not a ModelAudit manifest or an OpenSSF model-signing statement (predicateType ${JSON.stringify(statement.predicateType)})`,
    );
  }
  const predicate = objectAt(statement.predicate, `${name}: predicate`);
  const serialization = objectAt(predicate.serialization ?? {}, `${name}: predicate.serialization`);
  if (serialization.method !== undefined && serialization.method !== "files") {
    throw new ManifestError(
      `${name}: serialization method ${JSON.stringify(serialization.method)} is not supported (only "files": one digest per file)`,
    );
  }
  if (!Array.isArray(predicate.resources)) throw new ManifestError(`${name}: predicate.resources must be an array`);
  const files = predicate.resources.map((item: unknown, index): ExpectedFile => {
    const where = `${name}: resources[${index}]`;
    const resource = objectAt(item, where);
    const algorithm = resource.algorithm ?? serialization.hash_type ?? "sha256";
    if (algorithm !== "sha256")
      throw new ManifestError(`${where}: algorithm ${JSON.stringify(algorithm)} is not supported`);
    return { path: stringAt(resource.name, `${where}.name`), sha256: hexAt(resource.digest, 64, where) };
  });
  const ignored = Array.isArray(serialization.ignore_paths)
    ? serialization.ignore_paths.filter((item): item is string => typeof item === "string")
    : [];
  return { kind: "model-signing", files, ignorePaths: [...new Set([...OMS_DEFAULT_IGNORED, ...ignored])] };
}

/** Whether `file` (a manifest path) lies under one of the ignored paths. */
export function isIgnored(file: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((ignored) => file === ignored || file.startsWith(`${ignored.replace(/\/$/, "")}/`));
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ManifestError(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function stringAt(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "") throw new ManifestError(`${where} must be a non-empty string`);
  return value;
}

function hexAt(value: unknown, length: number, where: string): string {
  if (typeof value !== "string" || !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value)) {
    throw new ManifestError(`${where}: expected a ${length}-hex digest, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

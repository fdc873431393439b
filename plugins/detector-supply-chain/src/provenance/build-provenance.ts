/**
 * The builder and source of an in-toto provenance statement (SLSA v1 or v0.2), as carried by a DSSE
 * envelope or a Sigstore bundle. Only for statements whose signature was verified (the signature
 * checks call this after verifying): an unverified statement says nothing about who built the model.
 */

export interface BuildProvenance {
  /** `https://slsa.dev/provenance/v1` or `…/v0.2`. */
  predicateType: string;
  /** The builder's id (a URI such as `https://github.com/actions/runner/github-hosted`). */
  builder: string | null;
  /** Where the build came from: the source repository (with its ref or commit when given). */
  source: string | null;
  buildType: string | null;
  /** The artifacts the statement is about: name and SHA-256. */
  subjects: { name: string; sha256: string | null }[];
}

const STATEMENT_TYPES = new Set(["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"]);
const SLSA_V1 = "https://slsa.dev/provenance/v1";
const SLSA_V02 = "https://slsa.dev/provenance/v0.2";
const IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";
/** A provenance statement is a few kilobytes; larger payloads are not read. */
export const MAX_STATEMENT_BYTES = 1024 * 1024;
const MAX_SUBJECTS = 10_000;
const MAX_TEXT = 2048;

type Json = Record<string, unknown>;

/**
 * The provenance in a statement, a DSSE envelope (`payloadType` in-toto, base64 `payload`) or a
 * Sigstore bundle (`dsseEnvelope`). Null when it holds no SLSA provenance statement.
 */
export function readBuildProvenance(value: unknown): BuildProvenance | null {
  const statement = statementOf(value);
  if (!statement) return null;
  const predicateType = text(statement.predicateType);
  const predicate = object(statement.predicate);
  if (!predicateType || !predicate) return null;
  let read: Omit<BuildProvenance, "predicateType" | "subjects"> | null = null;
  if (predicateType === SLSA_V1) read = slsaV1(predicate);
  else if (predicateType === SLSA_V02) read = slsaV02(predicate);
  if (!read) return null;
  return { predicateType, ...read, subjects: subjectsOf(statement.subject) };
}

/** One line for reports: `built by <builder> from <source>`. */
export function describeBuildProvenance(provenance: BuildProvenance): string {
  const builder = provenance.builder ?? "an unnamed builder";
  return provenance.source ? `built by ${builder} from ${provenance.source}` : `built by ${builder}`;
}

function statementOf(value: unknown): Json | null {
  const json = object(value);
  if (!json) return null;
  const envelope = object(json.dsseEnvelope) ?? json;
  if (typeof envelope.payload === "string") {
    if (envelope.payloadType !== IN_TOTO_PAYLOAD || envelope.payload.length > (MAX_STATEMENT_BYTES * 4) / 3 + 4)
      return null;
    try {
      return statementOf(JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")));
    } catch {
      return null;
    }
  }
  return STATEMENT_TYPES.has(text(json._type) ?? "") ? json : null;
}

function slsaV1(predicate: Json): Omit<BuildProvenance, "predicateType" | "subjects"> {
  const definition = object(predicate.buildDefinition) ?? {};
  const run = object(predicate.runDetails) ?? {};
  const external = object(definition.externalParameters) ?? {};
  const workflow = object(external.workflow);
  // GitHub Actions: workflow.repository + ref; other builders name a source or list resolved dependencies.
  let source: string | null = null;
  if (workflow && text(workflow.repository)) {
    const ref = text(workflow.ref);
    source = ref ? `${text(workflow.repository)}@${ref}` : text(workflow.repository);
  } else if (text(external.source)) {
    source = text(external.source);
  } else {
    const first = Array.isArray(definition.resolvedDependencies) ? object(definition.resolvedDependencies[0]) : null;
    source = first ? withDigest(text(first.uri), object(first.digest)) : null;
  }
  return { builder: text(object(run.builder)?.id), source, buildType: text(definition.buildType) };
}

function slsaV02(predicate: Json): Omit<BuildProvenance, "predicateType" | "subjects"> {
  const config = object(object(predicate.invocation)?.configSource);
  const material = Array.isArray(predicate.materials) ? object(predicate.materials[0]) : null;
  const source = config
    ? withDigest(text(config.uri), object(config.digest))
    : material
      ? withDigest(text(material.uri), object(material.digest))
      : null;
  return { builder: text(object(predicate.builder)?.id), source, buildType: text(predicate.buildType) };
}

function withDigest(uri: string | null, digest: Json | null): string | null {
  if (!uri) return null;
  const commit = text(digest?.gitCommit) ?? text(digest?.sha1);
  return commit && !uri.includes("@") ? `${uri}@${commit}` : uri;
}

function subjectsOf(value: unknown): BuildProvenance["subjects"] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_SUBJECTS).flatMap((item) => {
    const subject = object(item);
    const name = text(subject?.name);
    if (!subject || !name) return [];
    const sha256 = text(object(subject.digest)?.sha256);
    return [{ name, sha256: sha256 && /^[0-9a-f]{64}$/.test(sha256) ? sha256 : null }];
  });
}

function object(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_TEXT ? value : null;
}

import { BufferSource, type ParseContext } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson } from "@modelaudit/core/format";
import { ConfigWalker, type EmbeddedPayload } from "./config-walker.js";
import { decodePythonJson, replaceNonFiniteLiterals } from "./python-json.js";

/** Keras configs nest layers a few levels per model; this is far past any real one. */
const MAX_CONFIG_DEPTH = 128;

const encoder = new TextEncoder();

/** Records a problem that stops or limits the analysis: an anomaly fact and an inconclusive reason. */
export function blocked(
  context: ParseContext,
  code: "malformed" | "limit-exceeded" | "truncated",
  message: string,
  path?: string,
): void {
  context.emit({ kind: "anomaly", code, message, ...(path ? { location: { path } } : {}) });
  context.inconclusive(message);
}

/**
 * Parses a Keras config (JSON text or bytes) and emits its facts; payloads a layer deserializes
 * itself are scanned as nested sources. `rootIsLayer` when the document is a model (model_config,
 * config.json) rather than a training config.
 */
export async function emitKerasConfig(
  context: ParseContext,
  json: string | Uint8Array,
  basePath: string,
  rootIsLayer: boolean,
): Promise<void> {
  let document: unknown;
  try {
    // Keras reads configs with Python's json.loads: bytes in UTF-8/16/32, NaN and Infinity allowed.
    let text: string;
    try {
      text = typeof json === "string" ? json : decodePythonJson(json, true);
    } catch {
      throw new JsonProblem("malformed", "not valid UTF-8, UTF-16 or UTF-32");
    }
    document = parseBoundedJson(encoder.encode(replaceNonFiniteLiterals(text)), MAX_CONFIG_DEPTH);
  } catch (error) {
    if (!(error instanceof JsonProblem)) throw error;
    blocked(context, error.kind, `${basePath}: ${error.message}`, basePath);
    return;
  }
  const walker = new ConfigWalker(
    (fact) => context.emit(fact),
    () => context.checkDeadline(),
  );
  walker.walkDocument(document, basePath, rootIsLayer);
  // The walker already emitted an anomaly per problem; each also makes the artifact inconclusive.
  for (const problem of walker.problems) context.inconclusive(problem.message);
  for (const payload of walker.embedded) await scanPayload(context, payload);
}

/** Decodes a base64 payload (bounded by the in-memory limit) and scans it like a file. */
async function scanPayload(context: ParseContext, payload: EmbeddedPayload): Promise<void> {
  const compact = payload.base64.replace(/\s+/g, "");
  if (compact.length / 4 > context.limits.maxInMemoryBytes / 3) {
    blocked(
      context,
      "limit-exceeded",
      `${payload.path}: embedded payload over the in-memory bound; not scanned`,
      payload.path,
    );
    return;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    blocked(context, "malformed", `${payload.path}: embedded payload is not valid base64`, payload.path);
    return;
  }
  const bytes = new Uint8Array(Buffer.from(compact, "base64"));
  await context.scanChild(payload.path, new BufferSource(payload.path, bytes));
}

import { JsonProblem, type ParseContext, parseBoundedJson } from "@modelaudit/core";
import { ConfigWalker } from "./config-walker.js";

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
 * Parses a Keras config (JSON text or bytes) and emits its facts. `rootIsLayer` when the document is
 * a model (model_config, config.json) rather than a training config.
 */
export function emitKerasConfig(
  context: ParseContext,
  json: string | Uint8Array,
  basePath: string,
  rootIsLayer: boolean,
): void {
  let document: unknown;
  try {
    document = parseBoundedJson(typeof json === "string" ? encoder.encode(json) : json, MAX_CONFIG_DEPTH);
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
}

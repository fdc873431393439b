import type { DetectorContext, GraphNodeFact, Origin, ReferenceFact } from "@modelaudit/core";
import { FORMATS } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { pathEscape } from "./path-escape.js";

/** Keras layers whose constructor loads a whole model (a SavedModel: a graph that runs) from a path or URL. */
const MODEL_LOADING_LAYERS = new Set(["TFSMLayer", "KerasLayer"]);

/** Hosts that serve published models for tensorflow_hub; fetching from them is a dependency, not an attack. */
const MODEL_HUB_URL = /^https:\/\/(tfhub\.dev|(www\.)?kaggle\.com|storage\.googleapis\.com\/tfhub-modules)\//i;

type ReportBase = Pick<Parameters<DetectorContext["report"]>[0], "origin" | "evidence" | "location">;

/** A Keras layer that loads another model when the model is rebuilt. */
export function judgeKerasLayer(
  context: DetectorContext,
  fact: GraphNodeFact,
  base: ReportBase,
  data: Record<string, string>,
): void {
  if (!MODEL_LOADING_LAYERS.has(fact.op)) return;
  context.report({ ...base, rule: "keras-path-loading", messageId: "loadsModel", data });
}

/**
 * A path or URL that a Keras model's layers read at load time (the handler emits them from the
 * layer configs of sources it labels `keras`). Paths that leave the model's directory are left to
 * external-data-traversal.
 */
export function judgeKerasReference(context: DetectorContext, fact: ReferenceFact, origin: Origin): void {
  if (!origin.formats.includes(FORMATS.keras)) return;
  if (fact.referenceKind !== "path" && fact.referenceKind !== "url") return;
  const target = truncateText(fact.target.replace(/\0/g, "\\0"));
  const location = fact.location ?? (fact.key ? { path: fact.key } : undefined);
  const data = { key: fact.key ?? "a layer argument", path: location?.path ?? "an unknown position", target };
  const base = { origin, evidence: target, ...(location && { location }), data };
  if (fact.referenceKind === "url") {
    const hub = MODEL_HUB_URL.test(fact.target);
    context.report({
      ...base,
      rule: "keras-path-loading",
      messageId: "fetchesUrl",
      severity: hub ? "warning" : "critical",
    });
    return;
  }
  if (pathEscape(fact.target)) return;
  context.report({ ...base, rule: "keras-path-loading", messageId: "readsFile", severity: "info" });
}

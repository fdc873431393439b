import type {
  Detector,
  DetectorContext,
  EntryFact,
  GraphNodeFact,
  Location,
  Origin,
  ReferenceFact,
} from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { CUSTOM_OPS_DESCRIPTOR, CUSTOM_OPS_RULES } from "./descriptor.js";
import { judgeKerasLayer, judgeKerasReference } from "./keras-layers.js";
import { isLibraryLoadKey, isNativeLibraryName } from "./native-library.js";
import { classifyOnnxDomain } from "./onnx-domains.js";
import { type CustomOpsOptions, readOptions } from "./options.js";
import { pathEscape } from "./path-escape.js";
import { isPythonOperator } from "./python-operators.js";
import {
  PATH_EFFECT_SEVERITY,
  SIDE_EFFECT_SEVERITY,
  tensorflowPathEffect,
  tensorflowSideEffect,
} from "./tensorflow-ops.js";
import { classifyTfliteCustomOp, flexTarget } from "./tflite-ops.js";
import { STANDARD_TORCHSCRIPT_NAMESPACES } from "./torchscript-namespaces.js";
import { TORCHSCRIPT_SEVERITY, torchscriptSideEffect } from "./torchscript-ops.js";

/** A model-local ONNX function body: `functions/<domain>:<name>/node[i]`. */
const LOCAL_FUNCTION_PATH = /^functions\/([^/]*):([^/]+)\//;

interface PendingNode {
  fact: GraphNodeFact;
  origin: Origin;
}

/**
 * Judges operators by framework, domain and name, plus native libraries and external paths. It
 * never parses a format: handlers name each operator's framework, domain and where it sits.
 */
export const customOpsDetector: Detector = {
  ...CUSTOM_OPS_DESCRIPTOR,
  create(context) {
    const options = readOptions(context.options);
    // ONNX nodes in non-standard domains wait for the end: a model-local function of that name
    // makes them calls into the model itself, and its body may come after the call.
    const pending: PendingNode[] = [];
    const localFunctions = new Set<string>();
    return {
      onFact(fact, origin) {
        if (fact.kind === "graph-node") {
          if (fact.framework === "onnx") {
            const match = LOCAL_FUNCTION_PATH.exec(fact.location?.path ?? "");
            if (match) localFunctions.add(functionKey(origin, match[1]!, match[2]!));
          }
          judgeNode(context, options, fact, origin, pending);
        } else if (fact.kind === "entry") judgeEntry(context, fact, origin);
        else if (fact.kind === "reference") judgeReference(context, fact, origin);
      },
      finish() {
        for (const { fact, origin } of pending) {
          if (localFunctions.has(functionKey(origin, fact.domain ?? "", fact.op))) continue;
          reportOnnxDomain(context, options, fact, origin);
        }
      },
    };
  },
};

function functionKey(origin: Origin, domain: string, name: string): string {
  return `${origin.memberChain.join("\0")}\0${domain}\0${name}`;
}

function where(fact: GraphNodeFact): string {
  return fact.location?.path ?? fact.name ?? "an unknown position";
}

function nodeEvidence(fact: GraphNodeFact): string {
  const domain = fact.domain ? `${fact.domain}::` : "";
  return truncateText(`${fact.framework} ${domain}${fact.op}${fact.name ? ` (${fact.name})` : ""}`);
}

function nodeLocation(fact: GraphNodeFact): Location | undefined {
  return fact.location ?? (fact.name ? { path: fact.name } : undefined);
}

function judgeNode(
  context: DetectorContext,
  options: CustomOpsOptions,
  fact: GraphNodeFact,
  origin: Origin,
  pending: PendingNode[],
): void {
  const domain = fact.domain ?? "";
  const location = nodeLocation(fact);
  const base = {
    origin,
    evidence: nodeEvidence(fact),
    ...(location && { location }),
  };
  const data = { op: truncateText(fact.op, 120), domain: domain || "(default)", path: where(fact) };

  if (fact.framework === "tensorflow") {
    judgeTensorflowOp(context, fact.op, fact.attributes, base, data);
    return;
  }
  if (isPythonOperator(fact.op)) {
    context.report({
      ...base,
      rule: "python-operator",
      messageId: "pythonOperator",
      data: { ...data, framework: fact.framework },
    });
    return;
  }
  switch (fact.framework) {
    case "onnx":
      if (classifyOnnxDomain(domain, fact.op, options.allowDomains) !== "standard") pending.push({ fact, origin });
      return;
    case "tflite":
      judgeTfliteOp(context, options, fact, base, data);
      return;
    case "keras":
      judgeKerasLayer(context, fact, base, data);
      return;
    case "torchscript": {
      const effect = torchscriptSideEffect(domain, fact.op);
      if (effect) {
        context.report({
          ...base,
          rule: "torchscript-file-op",
          messageId: effect,
          severity: TORCHSCRIPT_SEVERITY[effect],
          data,
        });
      }
      if (!STANDARD_TORCHSCRIPT_NAMESPACES.has(domain) && !options.allowNamespaces.has(domain)) {
        context.report({ ...base, rule: "torchscript-custom-namespace", messageId: "customNamespace", data });
      }
      return;
    }
    default:
      return;
  }
}

type ReportBase = Pick<Parameters<DetectorContext["report"]>[0], "origin" | "evidence" | "location">;

function judgeTensorflowOp(
  context: DetectorContext,
  op: string,
  attributes: GraphNodeFact["attributes"],
  base: ReportBase,
  data: Record<string, string>,
): void {
  if (isPythonOperator(op)) {
    context.report({ ...base, rule: "tensorflow-python-op", messageId: "pythonOp", data });
    return;
  }
  const effect = tensorflowSideEffect(op, attributes);
  if (effect) {
    context.report({
      ...base,
      rule: "tensorflow-file-op",
      messageId: effect,
      data,
      severity: SIDE_EFFECT_SEVERITY[effect],
    });
  }
}

function judgeTfliteOp(
  context: DetectorContext,
  options: CustomOpsOptions,
  fact: GraphNodeFact,
  base: ReportBase,
  data: Record<string, string>,
): void {
  if (fact.domain !== "custom") return;
  const verdict = classifyTfliteCustomOp(fact.op, options.allowTfliteOps);
  if (verdict === "flex") {
    const { named, runs, decoded } = flexTarget(fact.op, fact.attributes);
    // The custom_code reading is judged as a TensorFlow op unless it is one of the names the handler
    // decoded from the options, which it emits as TensorFlow graph nodes of their own.
    if (!decoded.includes(named)) judgeTensorflowOp(context, named, fact.attributes, base, { ...data, op: named });
    const target = truncateText(runs, 120);
    context.report({
      ...base,
      rule: "tflite-custom-op",
      messageId: "flexOp",
      severity: "info",
      data: { ...data, target },
    });
  } else if (verdict === "well-known") {
    context.report({ ...base, rule: "tflite-custom-op", messageId: "knownCustomOp", severity: "info", data });
  } else {
    context.report({ ...base, rule: "tflite-custom-op", messageId: "customOp", data });
  }
}

function reportOnnxDomain(
  context: DetectorContext,
  options: CustomOpsOptions,
  fact: GraphNodeFact,
  origin: Origin,
): void {
  const domain = fact.domain ?? "";
  const location = nodeLocation(fact);
  const base = { origin, evidence: nodeEvidence(fact), ...(location && { location }) };
  const data = { op: truncateText(fact.op, 120), domain, path: where(fact) };
  const verdict = classifyOnnxDomain(domain, fact.op, options.allowDomains);
  if (verdict === "contrib") {
    context.report({ ...base, rule: "non-standard-domain", messageId: "contribOp", severity: "info", data });
  } else if (verdict === "unknown-contrib") {
    context.report({ ...base, rule: "non-standard-domain", messageId: "unknownContribOp", data });
  } else if (verdict === "custom") {
    context.report({ ...base, rule: "non-standard-domain", messageId: "customDomain", data });
  }
}

function judgeEntry(context: DetectorContext, fact: EntryFact, origin: Origin): void {
  if (fact.type === "directory" || !isNativeLibraryName(fact.name)) return;
  context.report({
    rule: "native-library",
    messageId: "shippedLibrary",
    origin,
    data: { name: truncateText(fact.name) },
    location: fact.location ?? { path: fact.name },
    evidence: truncateText(fact.name),
  });
}

function judgeReference(context: DetectorContext, fact: ReferenceFact, origin: Origin): void {
  judgeKerasReference(context, fact, origin);
  if (fact.referenceKind !== "path") return;
  const key = fact.key ?? fact.location?.path ?? "a path reference";
  const location = fact.location ?? (fact.key ? { path: fact.key } : undefined);
  const target = truncateText(fact.target.replace(/\0/g, "\\0"));
  const base = { origin, evidence: target, ...(location && { location }) };
  if (isNativeLibraryName(fact.target) || isLibraryLoadKey(fact.key)) {
    context.report({ ...base, rule: "native-library", messageId: "loadedLibrary", data: { key, target } });
  }
  const reason = pathEscape(fact.target);
  if (!reason) {
    judgeLink(context, fact, base, key, target);
    // A file the loader opens while loading (joblib's NDArrayWrapper side array) that is not beside
    // the model: the load fails there, and what it would have read cannot be judged.
    if (fact.resolved?.exists === false) {
      context.inconclusive(
        `${key} ${target}: the loader opens ${truncateText(fact.resolved.path)} while loading the model, and no file is there`,
        origin,
      );
    }
    return;
  }
  // A TensorFlow file or checkpoint op given a literal path: how bad depends on what the op does there.
  const op = tensorflowPathEffect(fact.key);
  const severity = op ? PATH_EFFECT_SEVERITY[op.effect] : undefined;
  context.report({
    ...base,
    rule: "external-data-traversal",
    messageId: "escapes",
    data: { key, target, reason },
    ...(severity && { severity }),
  });
  // Checkpoint and table ops are in every model, so only a path of theirs outside it reports the op.
  if (op && severity && !op.reportedAsOp) {
    context.report({
      ...base,
      rule: "tensorflow-file-op",
      messageId: op.effect,
      severity,
      data: { op: key, path: fact.location?.path ?? key, target, reason },
    });
  }
}

/**
 * A relative path whose name stays inside but which a symbolic link beside the model takes outside:
 * the loader joins it to the folder and follows the link, so it reads the same file a `../` would.
 * The Hugging Face cache's own snapshot → blob links are its layout, not an escape.
 */
function judgeLink(context: DetectorContext, fact: ReferenceFact, base: ReportBase, key: string, target: string): void {
  const link = fact.link;
  if (!link?.outside || link.hfCacheBlob) return;
  context.report({
    ...base,
    evidence: truncateText(`${link.path} → ${link.target}`.replace(/\0/g, "\\0")),
    rule: "external-data-traversal",
    messageId: "escapesThroughLink",
    data: { key, target, link: truncateText(link.path), linkTarget: truncateText(link.target) },
  });
}

export { CUSTOM_OPS_RULES };

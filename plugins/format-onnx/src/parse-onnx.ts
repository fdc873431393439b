import type { ParseContext } from "@modelaudit/core";
import { ProblemList, reportProblems, StopParsing } from "@modelaudit/core/format";
import { ByteWindow } from "./byte-window.js";
import { FactEmitter, type TypedTensor } from "./emit-facts.js";
import { checkExternalFiles, emitExternalTensors, emitPathReferences, resolveLocations } from "./external-data.js";
import { type Decoded, FieldWalker, type WalkLimits } from "./field-walker.js";
import type { Model } from "./model-types.js";
import { MODEL_PROTO } from "./onnx-schema.js";
import { readTypedData, TypedDataError } from "./tensor-data.js";

/** Main graph plus 32 levels of If/Loop/Scan bodies. */
export const MAX_GRAPH_DEPTH = 33;

function walkLimits(context: ParseContext): WalkLimits {
  const memory = context.limits.maxInMemoryBytes;
  return {
    maxMessageDepth: 4 * MAX_GRAPH_DEPTH + 8,
    maxGraphDepth: MAX_GRAPH_DEPTH,
    maxString: Math.min(16 * 1024 * 1024, memory),
    maxLeaf: Math.min(64 * 1024 * 1024, memory),
    maxRetained: memory,
  };
}

/** Decodes a ModelProto: operators of every graph and function, initializers, external data, metadata. */
export async function parseOnnx(context: ParseContext): Promise<void> {
  const problems = new ProblemList();
  const model: Decoded = {};
  const window = new ByteWindow(context.source);
  const walker = new FieldWalker(window, context, problems, walkLimits(context));
  try {
    await walker.walk(MODEL_PROTO, 0, context.source.size, model);
  } catch (error) {
    if (!(error instanceof StopParsing)) throw error;
    problems.items.push(error.problem);
  }
  const decoded = model as Model;
  if (decoded.ir_version === undefined) {
    problems.add("malformed", "no ir_version: not a valid ModelProto", { offset: 0 });
  }
  if (decoded.graph === undefined && problems.items.length === 0) {
    // A cut at a field boundary before the graph still decodes; no runtime loads a model without one.
    problems.add("malformed", "the model has no graph", { offset: 0 });
  }
  // Whatever was decoded before a stop is still reported: a truncated model may still show its operators.
  const emitter = new FactEmitter(context, problems);
  emitter.model(decoded);
  const locations = await resolveLocations(
    context,
    emitter.pathReferences.map((reference) => reference.target),
  );
  emitPathReferences(context, emitter.pathReferences, locations);
  const files = await checkExternalFiles(context, emitter.external, problems, locations);
  const unread = [...emitter.unread];
  unread.push(...emitExternalTensors(context, emitter.externalTensors, files, locations, problems));
  unread.push(...(await emitTypedTensors(context, emitter.typedTensors, problems)));
  reportProblems(context, problems.items, "ONNX model not fully decoded");
  if (unread.length > 0) {
    const more = unread.length > 3 ? ` and ${unread.length - 3} more` : "";
    const names = unread.slice(0, 3).map((name) => JSON.stringify(name));
    context.inconclusive(`ONNX tensor data not found, not read: ${names.join(", ")}${more}`);
  }
}

/** Values kept in typed fields (varints, split runs) decoded into element bytes, each within the memory bound. */
async function emitTypedTensors(
  context: ParseContext,
  tensors: readonly TypedTensor[],
  problems: ProblemList,
): Promise<string[]> {
  const unread: string[] = [];
  const limit = Math.min(64 * 1024 * 1024, context.limits.maxInMemoryBytes);
  for (const { fact, plan } of tensors) {
    context.checkDeadline();
    try {
      const data = await readTypedData(context.source, plan, limit, JSON.stringify(fact.name));
      context.chargeInflated(data.size);
      context.emitTensor(fact, data);
    } catch (error) {
      if (!(error instanceof TypedDataError)) throw error;
      problems.add(error.code, error.message, { path: fact.location?.path ?? fact.name });
      context.emit(fact);
      unread.push(fact.name);
    }
  }
  return unread;
}

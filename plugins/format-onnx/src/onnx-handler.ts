import type { FormatHandler, ParseContext, SniffInput } from "@modelaudit/core";
import { ProblemList, reportProblems, StopParsing } from "@modelaudit/core";
import { ByteWindow } from "./byte-window.js";
import { FactEmitter } from "./emit-facts.js";
import { checkExternalFiles } from "./external-data.js";
import { type Decoded, FieldWalker, type WalkLimits } from "./field-walker.js";
import type { Model } from "./model-types.js";
import { MODEL_PROTO } from "./onnx-schema.js";
import { sniffOnnx } from "./sniff.js";

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

/** ONNX ModelProto: nodes of every graph and function, initializers, external data, metadata. */
export const onnxHandler: FormatHandler = {
  id: "onnx",
  description: "ONNX models: operators of the main graph, subgraphs and local functions, initializers, metadata",
  sniff(input: SniffInput): boolean {
    return sniffOnnx(input);
  },
  async parse(context: ParseContext): Promise<void> {
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
    const emitter = new FactEmitter(context);
    emitter.model(decoded);
    await checkExternalFiles(context, emitter.external, problems);
    reportProblems(context, problems.items, "ONNX model not fully decoded");
  },
};

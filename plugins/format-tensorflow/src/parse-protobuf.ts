import { BufferSource, type ParseContext } from "@modelaudit/core";
import { walkGraphDef, walkMetaGraph, walkSavedModel } from "./graph-walker.js";
import { walkKerasMetadata } from "./keras-metadata.js";
import { readProtoBytes, TensorflowParse } from "./parse-session.js";

async function parseWhole(context: ParseContext, what: string, walk: (parse: TensorflowParse) => void): Promise<void> {
  const bytes = await readProtoBytes(context, what);
  if (!bytes) return;
  const parse = new TensorflowParse(context, bytes, what);
  parse.run(() => walk(parse));
  // Keras layer configs go back through the engine, so the Keras handler reads them (Lambda bytecode,
  // module references) exactly as it reads a .keras config.json.
  for (const document of parse.handOffs) {
    await context.scanChild(document.name, new BufferSource(document.name, new TextEncoder().encode(document.text)));
  }
}

export const parseSavedModel = (context: ParseContext) => parseWhole(context, "TensorFlow SavedModel", walkSavedModel);

export const parseGraphDef = (context: ParseContext) =>
  parseWhole(context, "TensorFlow GraphDef", (parse) => walkGraphDef(parse, 0, parse.bytes.length, ""));

export const parseMetaGraph = (context: ParseContext) =>
  parseWhole(context, "TensorFlow MetaGraphDef", (parse) => walkMetaGraph(parse, 0, parse.bytes.length, ""));

export const parseKerasMetadata = (context: ParseContext) =>
  parseWhole(context, "Keras SavedModel metadata", walkKerasMetadata);

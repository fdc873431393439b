import { BufferSource, FORMATS, type FormatHandler, type ParseContext } from "@modelaudit/core";
import { parseCheckpointIndex, sniffCheckpointIndex } from "./checkpoint-index.js";
import { walkGraphDef, walkMetaGraph, walkSavedModel } from "./graph-walker.js";
import { walkKerasMetadata } from "./keras-metadata.js";
import { readProtoBytes, TensorflowParse } from "./parse-session.js";
import { sniffGraphDef, sniffKerasMetadata, sniffMetaGraph, sniffSavedModel } from "./sniff-protobuf.js";

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

/** `saved_model.pb` of a SavedModel directory (tf.saved_model.save, model.save in TF format). */
export const savedModelHandler: FormatHandler = {
  id: FORMATS.tensorflowSavedModel,
  description: "TensorFlow SavedModel protobuf (saved_model.pb)",
  sniff: sniffSavedModel,
  parse: (context) => parseWhole(context, "TensorFlow SavedModel", walkSavedModel),
};

/** A frozen GraphDef (`.pb` from convert_variables_to_constants / tf.io.write_graph). */
export const graphDefHandler: FormatHandler = {
  id: FORMATS.tensorflowGraphDef,
  description: "TensorFlow GraphDef protobuf (frozen graph .pb)",
  sniff: sniffGraphDef,
  parse: (context) =>
    parseWhole(context, "TensorFlow GraphDef", (parse) => walkGraphDef(parse, 0, parse.bytes.length, "")),
};

/** A MetaGraphDef (`.meta` written by tf.compat.v1.train.Saver / export_meta_graph). */
export const metaGraphHandler: FormatHandler = {
  id: FORMATS.tensorflowMetaGraph,
  description: "TensorFlow MetaGraphDef protobuf (.meta)",
  sniff: sniffMetaGraph,
  parse: (context) =>
    parseWhole(context, "TensorFlow MetaGraphDef", (parse) => walkMetaGraph(parse, 0, parse.bytes.length, "")),
};

/** `keras_metadata.pb` beside saved_model.pb in a tf.keras SavedModel. */
export const kerasMetadataHandler: FormatHandler = {
  id: FORMATS.tensorflowKerasMetadata,
  description: "Keras metadata of a TensorFlow SavedModel (keras_metadata.pb)",
  sniff: sniffKerasMetadata,
  parse: (context) => parseWhole(context, "Keras SavedModel metadata", walkKerasMetadata),
};

/** A checkpoint's `.index` (SavedModel `variables/variables.index`): its variables, with their bytes in the data shards. */
export const checkpointIndexHandler: FormatHandler = {
  id: FORMATS.tensorflowCheckpoint,
  description: "TensorFlow checkpoint index (tensor bundle, variables.index)",
  sniff: sniffCheckpointIndex,
  parse: parseCheckpointIndex,
};

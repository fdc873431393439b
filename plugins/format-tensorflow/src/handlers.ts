import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { sniffCheckpointIndex } from "./checkpoint-sniff.js";
import { sniffGraphDef, sniffKerasMetadata, sniffMetaGraph, sniffSavedModel } from "./sniff-protobuf.js";

// The protobuf decoders (protobufjs and the schema) and the checkpoint reader are imported on the first
// TensorFlow file of their kind, not at start-up.
const decoders = () => import("./parse-protobuf.js");

/** `saved_model.pb` of a SavedModel directory (tf.saved_model.save, model.save in TF format). */
export const savedModelHandler: FormatHandler = {
  id: FORMATS.tensorflowSavedModel,
  description: "TensorFlow SavedModel protobuf (saved_model.pb)",
  sniff: sniffSavedModel,
  parse: async (context) => (await decoders()).parseSavedModel(context),
};

/** A frozen GraphDef (`.pb` from convert_variables_to_constants / tf.io.write_graph). */
export const graphDefHandler: FormatHandler = {
  id: FORMATS.tensorflowGraphDef,
  description: "TensorFlow GraphDef protobuf (frozen graph .pb)",
  sniff: sniffGraphDef,
  parse: async (context) => (await decoders()).parseGraphDef(context),
};

/** A MetaGraphDef (`.meta` written by tf.compat.v1.train.Saver / export_meta_graph). */
export const metaGraphHandler: FormatHandler = {
  id: FORMATS.tensorflowMetaGraph,
  description: "TensorFlow MetaGraphDef protobuf (.meta)",
  sniff: sniffMetaGraph,
  parse: async (context) => (await decoders()).parseMetaGraph(context),
};

/** `keras_metadata.pb` beside saved_model.pb in a tf.keras SavedModel. */
export const kerasMetadataHandler: FormatHandler = {
  id: FORMATS.tensorflowKerasMetadata,
  description: "Keras metadata of a TensorFlow SavedModel (keras_metadata.pb)",
  sniff: sniffKerasMetadata,
  parse: async (context) => (await decoders()).parseKerasMetadata(context),
};

/** A checkpoint's `.index` (SavedModel `variables/variables.index`): its variables, with their bytes in the data shards. */
export const checkpointIndexHandler: FormatHandler = {
  id: FORMATS.tensorflowCheckpoint,
  description: "TensorFlow checkpoint index (tensor bundle, variables.index)",
  sniff: sniffCheckpointIndex,
  parse: async (context) => (await import("./checkpoint-index.js")).parseCheckpointIndex(context),
};

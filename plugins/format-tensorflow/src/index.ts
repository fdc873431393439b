import { definePlugin } from "@modelaudit/core";
import {
  checkpointIndexHandler,
  graphDefHandler,
  kerasMetadataHandler,
  metaGraphHandler,
  savedModelHandler,
} from "./handlers.js";

export { sniffCheckpointIndex } from "./checkpoint-sniff.js";
export { dataTypeName } from "./data-types.js";
export { CHECKPOINT_LIMITS, TENSORFLOW_LIMITS } from "./limits.js";
export { TENSORFLOW_PROTO } from "./proto-text.js";
export { sniffGraphDef, sniffKerasMetadata, sniffMetaGraph, sniffSavedModel } from "./sniff-protobuf.js";
export { checkpointIndexHandler, graphDefHandler, kerasMetadataHandler, metaGraphHandler, savedModelHandler };

export default definePlugin({
  meta: { name: "@modelaudit/format-tensorflow", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [savedModelHandler, graphDefHandler, metaGraphHandler, kerasMetadataHandler, checkpointIndexHandler],
});

import protobuf from "protobufjs";
import { TENSORFLOW_PROTO } from "./proto-text.js";

export { TENSORFLOW_PROTO };

const root = protobuf.parse(TENSORFLOW_PROTO, { keepCase: true }).root;

function lookup(name: string): protobuf.Type {
  return root.lookupType(`modelaudit.tensorflow.${name}`);
}

function fieldNumber(message: string, field: string): number {
  const found = lookup(message).fields[field];
  if (!found) throw new Error(`schema has no ${message}.${field}`);
  return found.id;
}

/**
 * Field numbers of the container messages, which are walked on the wire rather than decoded whole
 * (see wire-reader.ts); read from the schema so the two never disagree.
 */
export const FIELD = {
  savedModelSchemaVersion: fieldNumber("SavedModel", "saved_model_schema_version"),
  savedModelMetaGraphs: fieldNumber("SavedModel", "meta_graphs"),
  metaGraphMetaInfo: fieldNumber("MetaGraphDef", "meta_info_def"),
  metaGraphGraph: fieldNumber("MetaGraphDef", "graph_def"),
  metaGraphSignatures: fieldNumber("MetaGraphDef", "signature_def"),
  metaGraphAssets: fieldNumber("MetaGraphDef", "asset_file_def"),
  graphNode: fieldNumber("GraphDef", "node"),
  graphLibrary: fieldNumber("GraphDef", "library"),
  libraryFunction: fieldNumber("FunctionDefLibrary", "function"),
  functionSignature: fieldNumber("FunctionDef", "signature"),
  functionNode: fieldNumber("FunctionDef", "node_def"),
  savedMetadataNodes: fieldNumber("SavedMetadata", "nodes"),
} as const;

/** Message types, resolved once at module load. */
export const types = {
  metaInfoDef: lookup("MetaInfoDef"),
  signatureDefEntry: lookup("SignatureDefEntry"),
  assetFileDef: lookup("AssetFileDef"),
  nodeDef: lookup("NodeDef"),
  opDef: lookup("OpDef"),
  savedObject: lookup("SavedObject"),
};

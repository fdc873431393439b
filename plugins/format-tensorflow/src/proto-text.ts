/**
 * The TensorFlow messages we decode, trimmed to the fields a security review needs. Written from the
 * public TensorFlow protocol definitions: field numbers and types are facts of the wire format;
 * everything we leave out is skipped by number. Enums are read as plain int32 so an unknown value
 * never fails a decode.
 */
export const TENSORFLOW_PROTO = `
syntax = "proto3";
package modelaudit.tensorflow;

message SavedModel {
  int64 saved_model_schema_version = 1;
  repeated MetaGraphDef meta_graphs = 2;
}

message MetaGraphDef {
  MetaInfoDef meta_info_def = 1;
  GraphDef graph_def = 2;
  map<string, SignatureDef> signature_def = 5;
  repeated AssetFileDef asset_file_def = 6;
}

message MetaInfoDef {
  string meta_graph_version = 1;
  repeated string tags = 4;
  string tensorflow_version = 5;
  string tensorflow_git_version = 6;
}

message TensorInfo {
  string name = 1;
  int32 dtype = 2;
}

message SignatureDef {
  map<string, TensorInfo> inputs = 1;
  map<string, TensorInfo> outputs = 2;
  string method_name = 3;
}

// One entry of MetaGraphDef.signature_def as it sits on the wire (a map entry is a key/value message),
// so signatures decode one at a time.
message SignatureDefEntry {
  string key = 1;
  SignatureDef value = 2;
}

message AssetFileDef {
  TensorInfo tensor_info = 1;
  string filename = 2;
}

message GraphDef {
  repeated NodeDef node = 1;
  FunctionDefLibrary library = 2;
}

message NodeDef {
  string name = 1;
  string op = 2;
  repeated string input = 3;
  string device = 4;
  map<string, AttrValue> attr = 5;
}

message FunctionDefLibrary {
  repeated FunctionDef function = 1;
  repeated GradientDef gradient = 2;
}

message GradientDef {
  string function_name = 1;
  string gradient_func = 2;
}

message FunctionDef {
  OpDef signature = 1;
  repeated NodeDef node_def = 3;
  map<string, string> ret = 4;
  map<string, AttrValue> attr = 5;
}

// Only the signature's name is read.
message OpDef {
  string name = 1;
}

message AttrValue {
  // Numeric and shape lists (3-7) are left out on purpose: we report none of them, and skipping them
  // by number means a list of millions of ints allocates nothing.
  message ListValue {
    repeated bytes s = 2;
    repeated TensorProto tensor = 8;
    repeated NameAttrList func = 9;
  }
  oneof value {
    ListValue list = 1;
    bytes s = 2;
    int64 i = 3;
    float f = 4;
    bool b = 5;
    int32 type = 6;
    TensorProto tensor = 8;
    string placeholder = 9;
    NameAttrList func = 10;
  }
}

message NameAttrList {
  string name = 1;
  map<string, AttrValue> attr = 2;
}

// Only string tensors are read (string_val); numeric payloads are skipped unread.
message TensorProto {
  int32 dtype = 1;
  repeated bytes string_val = 8;
}

// keras_metadata.pb, written by tf.keras beside saved_model.pb.
message SavedMetadata {
  repeated SavedObject nodes = 1;
}

message SavedObject {
  int32 node_id = 2;
  string node_path = 3;
  string identifier = 4;
  string metadata = 5;
}
`;

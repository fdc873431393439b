/** The decoded model as the field walker builds it: plain objects keyed by schema field names. */

/** Where a tensor payload sits in the source; its bytes are never read by the walker. */
export interface Payload {
  offset: number;
  length: number;
}

export interface StringEntry {
  key?: string;
  value?: string;
}

export interface OperatorSetId {
  domain?: string;
  version?: number;
}

export interface Tensor {
  dims?: number[];
  data_type?: number;
  name?: string;
  raw_data?: Payload;
  /** Repeated typed fields: every packed run or unpacked element, in file order. */
  float_data?: Payload[];
  int32_data?: Payload[];
  int64_data?: Payload[];
  double_data?: Payload[];
  uint64_data?: Payload[];
  string_data?: string[];
  doc_string?: string;
  external_data?: StringEntry[];
  data_location?: number;
  metadata_props?: StringEntry[];
}

export interface SparseTensor {
  values?: Tensor;
  indices?: Tensor;
  dims?: number[];
}

export interface Attribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: string;
  t?: Tensor;
  g?: Graph;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  tensors?: Tensor[];
  graphs?: Graph[];
  sparse_tensor?: SparseTensor;
  sparse_tensors?: SparseTensor[];
  doc_string?: string;
  ref_attr_name?: string;
}

export interface Node {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  overload?: string;
  attribute?: Attribute[];
  doc_string?: string;
  metadata_props?: StringEntry[];
}

/** A graph input, output or intermediate value: its name and description. */
export interface ValueInfo {
  name?: string;
  doc_string?: string;
  metadata_props?: StringEntry[];
}

export interface Graph {
  name?: string;
  node?: Node[];
  input?: ValueInfo[];
  output?: ValueInfo[];
  value_info?: ValueInfo[];
  initializer?: Tensor[];
  sparse_initializer?: SparseTensor[];
  doc_string?: string;
  metadata_props?: StringEntry[];
}

export interface FunctionDefinition {
  name?: string;
  domain?: string;
  overload?: string;
  node?: Node[];
  attribute_proto?: Attribute[];
  opset_import?: OperatorSetId[];
  doc_string?: string;
  metadata_props?: StringEntry[];
}

export interface TrainingInfo {
  initialization?: Graph;
  algorithm?: Graph;
}

export interface Model {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: Graph;
  opset_import?: OperatorSetId[];
  metadata_props?: StringEntry[];
  training_info?: TrainingInfo[];
  functions?: FunctionDefinition[];
}

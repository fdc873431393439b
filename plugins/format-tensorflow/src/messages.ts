/**
 * The shapes protobufjs decodes our schema into (schema.ts). Every field may be absent on hostile
 * input; int64 values arrive as `Long` objects or numbers.
 */

export interface LongLike {
  toNumber(): number;
}

export type Int64 = number | LongLike;

export interface TensorMessage {
  dtype?: number;
  string_val?: Uint8Array[];
}

export interface NameAttrListMessage {
  name?: string;
  attr?: Record<string, AttrValueMessage>;
}

export interface AttrValueMessage {
  /** Which member of the oneof is set. */
  value?: "list" | "s" | "i" | "f" | "b" | "type" | "tensor" | "placeholder" | "func";
  list?: { s?: Uint8Array[]; tensor?: TensorMessage[]; func?: NameAttrListMessage[] };
  s?: Uint8Array;
  i?: Int64;
  f?: number;
  b?: boolean;
  type?: number;
  tensor?: TensorMessage;
  placeholder?: string;
  func?: NameAttrListMessage;
}

export interface NodeDefMessage {
  name?: string;
  op?: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValueMessage>;
}

export interface MetaInfoDefMessage {
  meta_graph_version?: string;
  tags?: string[];
  tensorflow_version?: string;
  tensorflow_git_version?: string;
}

export interface TensorInfoMessage {
  name?: string;
  dtype?: number;
}

export interface SignatureDefEntryMessage {
  key?: string;
  value?: {
    inputs?: Record<string, TensorInfoMessage>;
    outputs?: Record<string, TensorInfoMessage>;
    method_name?: string;
  };
}

export interface AssetFileDefMessage {
  tensor_info?: TensorInfoMessage;
  filename?: string;
}

export interface OpDefMessage {
  name?: string;
}

export interface SavedObjectMessage {
  node_id?: number;
  node_path?: string;
  identifier?: string;
  metadata?: string;
}

export function int64ToNumber(value: Int64 | undefined): number {
  if (typeof value === "number") return value;
  if (value && typeof value.toNumber === "function") return value.toNumber();
  return 0;
}

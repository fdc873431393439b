import type { TensorDType } from "@modelaudit/core";
import type { Value } from "./values.js";

/**
 * torch's storage classes as its pickles name them (`torch.FloatStorage`, torch/storage.py's
 * `_dtype_to_storage_type_map`): element type and bytes per element. An UntypedStorage counts bytes.
 * Packed sub-byte quantized storages are opaque bytes.
 */
const STORAGE_CLASSES: Readonly<Record<string, { dtype: TensorDType; elementSize: number }>> = {
  DoubleStorage: { dtype: "f64", elementSize: 8 },
  FloatStorage: { dtype: "f32", elementSize: 4 },
  HalfStorage: { dtype: "f16", elementSize: 2 },
  BFloat16Storage: { dtype: "bf16", elementSize: 2 },
  LongStorage: { dtype: "i64", elementSize: 8 },
  IntStorage: { dtype: "i32", elementSize: 4 },
  ShortStorage: { dtype: "i16", elementSize: 2 },
  CharStorage: { dtype: "i8", elementSize: 1 },
  ByteStorage: { dtype: "u8", elementSize: 1 },
  BoolStorage: { dtype: "bool", elementSize: 1 },
  UInt16Storage: { dtype: "u16", elementSize: 2 },
  UInt32Storage: { dtype: "u32", elementSize: 4 },
  UInt64Storage: { dtype: "u64", elementSize: 8 },
  ComplexDoubleStorage: { dtype: "c128", elementSize: 16 },
  ComplexFloatStorage: { dtype: "c64", elementSize: 8 },
  Float8_e4m3fnStorage: { dtype: "f8_e4m3", elementSize: 1 },
  Float8_e4m3fnuzStorage: { dtype: "f8_e4m3fnuz", elementSize: 1 },
  Float8_e5m2Storage: { dtype: "f8_e5m2", elementSize: 1 },
  Float8_e5m2fnuzStorage: { dtype: "f8_e5m2fnuz", elementSize: 1 },
  QUInt8Storage: { dtype: "u8", elementSize: 1 },
  QInt8Storage: { dtype: "i8", elementSize: 1 },
  QInt32Storage: { dtype: "i32", elementSize: 4 },
  QUInt4x2Storage: { dtype: "opaque", elementSize: 1 },
  QUInt2x4Storage: { dtype: "opaque", elementSize: 1 },
  UntypedStorage: { dtype: "u8", elementSize: 1 },
};

/** Element type and size of a torch storage class by name (`FloatStorage`), undefined for others. */
export function storageClass(name: string): { dtype: TensorDType; elementSize: number } | undefined {
  return Object.hasOwn(STORAGE_CLASSES, name) ? STORAGE_CLASSES[name] : undefined;
}

export interface StorageRecord {
  key: string;
  /** The storage class as the pickle names it (`FloatStorage`), or `unknown`. */
  type: string;
  dtype: TensorDType | undefined;
  elementSize: number | undefined;
  /** Element count the pickle declares, when it does. */
  numel: number | undefined;
}

/**
 * A storage persistent id: ('storage', torch.FloatStorage, key, location, numel[, view_metadata]).
 * Undefined for any other persistent id.
 */
export function storageRecord(pid: Value): StorageRecord | undefined {
  if (pid.type !== "tuple") return undefined;
  const [tag, type, key, , numel] = pid.items;
  if (tag?.type !== "str" || tag.text !== "storage" || key?.type !== "str") return undefined;
  const typeName = type?.type === "global" && type.name !== null ? type.name : "unknown";
  const storageClass = Object.hasOwn(STORAGE_CLASSES, typeName) ? STORAGE_CLASSES[typeName] : undefined;
  return {
    key: key.text,
    type: typeName,
    dtype: storageClass?.dtype,
    elementSize: storageClass?.elementSize,
    numel: numel?.type === "int" && Number.isSafeInteger(numel.value) && numel.value >= 0 ? numel.value : undefined,
  };
}

/** The storages a pickle references through persistent ids, by key, in first-reference order. */
export function storageRecords(persistentIds: readonly Value[]): Map<string, StorageRecord> {
  const records = new Map<string, StorageRecord>();
  for (const pid of persistentIds) {
    const record = storageRecord(pid);
    if (record && !records.has(record.key)) records.set(record.key, record);
  }
  return records;
}

/**
 * Whether an archive member is where a torch zip keeps a storage's bytes (`<prefix>/data/<key>`, or
 * `<prefix>/constants/<key>` for TorchScript constants): torch.load reads it as raw bytes, never
 * unpickles it, so tensor data that happens to start like a pickle (`80 05`...) is not a broken one.
 */
export function isTorchStorageMember(name: string | undefined): boolean {
  return name !== undefined && /^(?:[^/]+\/){0,2}(?:data|constants)\/\d+$/.test(name);
}

import type { Value } from "./values.js";

/** The first pickle of a legacy (pre-zip) torch.save file is this integer. */
export const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

export function isTorchLegacyMagic(value: Value | undefined): boolean {
  return value?.type === "int" && value.big === TORCH_LEGACY_MAGIC;
}

/** Bytes per element of torch's legacy typed storages (torch/storage.py, torch/_utils._element_size). */
const STORAGE_ELEMENT_SIZES: Record<string, number> = {
  DoubleStorage: 8,
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexDoubleStorage: 16,
  ComplexFloatStorage: 8,
  QUInt8Storage: 1,
  QInt8Storage: 1,
  QInt32Storage: 4,
  QUInt4x2Storage: 1,
  QUInt2x4Storage: 1,
  UntypedStorage: 1,
};

export interface StorageRecord {
  key: string;
  type: string;
  elementSize: number | undefined;
  /** Element count the model pickle declares, when it does. */
  numel: number | undefined;
}

/**
 * Storages the model pickle references through persistent ids:
 * ('storage', torch.FloatStorage, key, location, numel[, view_metadata]).
 */
export function storageRecords(persistentIds: readonly Value[]): Map<string, StorageRecord> {
  const records = new Map<string, StorageRecord>();
  for (const pid of persistentIds) {
    if (pid.type !== "tuple") continue;
    const [tag, type, key, , numel] = pid.items;
    if (tag?.type !== "str" || tag.text !== "storage" || key?.type !== "str") continue;
    const typeName = type?.type === "global" && type.name !== null ? type.name : "unknown";
    records.set(key.text, {
      key: key.text,
      type: typeName,
      elementSize: STORAGE_ELEMENT_SIZES[typeName],
      numel: numel?.type === "int" && Number.isSafeInteger(numel.value) ? numel.value : undefined,
    });
  }
  return records;
}

import { type StorageRecord, storageRecord, storageRecords } from "./torch-storages.js";
import { walkNamedValues } from "./value-paths.js";
import type { ObjectValue, Value } from "./values.js";

/** torch._utils functions that build a tensor from (storage, storage_offset, size, stride, ...). */
const TENSOR_REBUILDS = new Set(["_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3"]);
/** torch._utils functions that wrap a tensor (their first argument) as a Parameter. */
const PARAMETER_REBUILDS = new Set(["_rebuild_parameter", "_rebuild_parameter_with_state"]);
/**
 * nn.Module keeps its tensors and submodules in these attribute dicts; `state_dict()` names them
 * without the dict (`_modules.0._parameters.weight` is `0.weight`), and so do we.
 */
const MODULE_DICTS = new Set(["_parameters", "_buffers", "_modules"]);
/** Parameters wrap tensors, subclasses wrap those: a few levels at most in real files. */
const MAX_WRAPPING = 8;

/** One storage as the loader sees it: its persistent id, and the tensors that read it. */
export interface TorchStorage {
  record: StorageRecord;
  /** The state-dict key of the tensor that names the storage; `storage/<key>` when none does. */
  name: string;
  /**
   * The shape of the tensor that names the storage when it covers the whole storage contiguously from
   * offset 0; undefined otherwise (the storage is then a flat run of `numel` elements).
   */
  shape: number[] | undefined;
  /** The other names that read this storage (tied weights, views). */
  aliases: string[];
}

interface TensorUse {
  name: string;
  storageOffset: number | undefined;
  size: number[] | undefined;
  stride: number[] | undefined;
}

/**
 * The storages one torch pickle references, named by the state dict that uses them. `roots` are the
 * values to walk with the name prefix each one's tensors get (a checkpoint's value with "", a
 * TorchScript constants tuple item by item with `CONSTANTS.c<i>`). Storages are in first-reference
 * order; every storage a persistent id names is there, used by a tensor or not.
 */
export function torchStorages(
  roots: readonly { prefix: string; value: Value }[],
  persistentIds: readonly Value[],
): TorchStorage[] {
  const records = storageRecords(persistentIds);
  if (records.size === 0) return [];
  const uses = new Map<string, TensorUse[]>();
  for (const root of roots) {
    walkNamedValues(
      root.value,
      (path, value) => {
        const tensor = tensorOf(value);
        if (!tensor) return true;
        const record = storageRecord(tensor.storage);
        if (record && path !== "") {
          const list = uses.get(record.key) ?? [];
          if (list.length === 0) uses.set(record.key, list);
          list.push({ name: stateDictName(path), ...layoutOf(tensor.args) });
        }
        return false;
      },
      root.prefix,
    );
  }
  return [...records.values()].map((record) => {
    const list = uses.get(record.key) ?? [];
    const primary = list.find((use) => covers(use, record.numel)) ?? list[0];
    return {
      record,
      name: primary?.name ?? `storage/${record.key}`,
      shape: primary && covers(primary, record.numel) ? primary.size : undefined,
      aliases: list.filter((use) => use !== primary).map((use) => use.name),
    };
  });
}

function stateDictName(path: string): string {
  const parts = path.split(".");
  const kept = parts.filter((part) => !MODULE_DICTS.has(part));
  return kept.length > 0 ? kept.join(".") : path;
}

/** The storage pid and rebuild arguments of a tensor value, looking through Parameter wrappers. */
function tensorOf(value: Value): { storage: Value; args: readonly Value[] } | undefined {
  let current: Value | undefined = value;
  for (let depth = 0; depth < MAX_WRAPPING && current?.type === "object"; depth++) {
    const { module, name } = current.callee;
    const args: readonly Value[] = current.args?.type === "tuple" ? current.args.items : [];
    if (module === "torch._utils" && name !== null && TENSOR_REBUILDS.has(name)) {
      const storage = args[0];
      return storage?.type === "persistent" ? { storage: storage.pid, args } : undefined;
    }
    if (module === "torch._utils" && name !== null && PARAMETER_REBUILDS.has(name)) current = args[0];
    else if (module === "torch._utils" && name === "_rebuild_from_type_v2") current = rebuiltFromType(args);
    else return undefined;
  }
  return undefined;
}

/** `_rebuild_from_type_v2(func, new_type, args, state)` calls `func(*args)`: seen as that call. */
function rebuiltFromType(args: readonly Value[]): ObjectValue | undefined {
  const [func, , inner] = args;
  if (func?.type !== "global" || inner?.type !== "tuple") return undefined;
  return {
    type: "object",
    callee: { module: func.module, name: func.name },
    via: "REDUCE",
    args: inner,
    cls: undefined,
    state: undefined,
  };
}

function layoutOf(args: readonly Value[]): Omit<TensorUse, "name"> {
  const offset = args[1];
  return {
    storageOffset: offset?.type === "int" && Number.isSafeInteger(offset.value) ? offset.value : undefined,
    size: intTuple(args[2]),
    stride: intTuple(args[3]),
  };
}

function intTuple(value: Value | undefined): number[] | undefined {
  if (value?.type !== "tuple" || value.count !== value.items.length) return undefined;
  const numbers: number[] = [];
  for (const item of value.items) {
    if (item.type !== "int" || !Number.isSafeInteger(item.value) || item.value < 0) return undefined;
    numbers.push(item.value);
  }
  return numbers;
}

/** A tensor that reads every element of its storage, in order, from offset 0 (torch's is_contiguous). */
function covers(use: TensorUse, numel: number | undefined): boolean {
  const { size, stride } = use;
  if (use.storageOffset !== 0 || !size || !stride || size.length !== stride.length || numel === undefined) return false;
  let expected = 1;
  for (let dim = size.length - 1; dim >= 0; dim--) {
    const extent = size[dim] as number;
    // A dimension of extent 1 may carry any stride; torch still calls the tensor contiguous.
    if (extent !== 1 && stride[dim] !== expected) return false;
    expected *= extent;
  }
  return expected === numel;
}

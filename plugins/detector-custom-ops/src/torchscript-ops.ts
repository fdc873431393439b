/** What a TorchScript operator does outside the tensors it is given. */
export type TorchscriptSideEffect = "writesFiles" | "mapsFile" | "talksToNetwork" | "exchangesTensors";

export const TORCHSCRIPT_SEVERITY: Readonly<Record<TorchscriptSideEffect, "critical" | "warning" | "info">> = {
  // from_file maps any file into a tensor the model returns; with shared=True writes to it go to the file.
  mapsFile: "critical",
  writesFiles: "critical",
  talksToNetwork: "critical",
  // c10d collectives talk to the process group the application set up, not to an address in the model;
  // scripted distributed training code carries them.
  exchangesTensors: "info",
};

/**
 * TorchScript operators (`namespace::name`, as libtorch registers them) that touch files or the
 * network. TorchScript code prints them as `torch.from_file(...)`, `torch.save(...)` or
 * `ops.prim.rpc_async(...)`; the handler names each call by its operator.
 */
const SIDE_EFFECTS: ReadonlyMap<string, TorchscriptSideEffect> = new Map([
  ["aten::from_file", "mapsFile"],
  ["aten::save", "writesFiles"],
  ["prim::rpc_async", "talksToNetwork"],
  ["prim::rpc_sync", "talksToNetwork"],
  ["prim::rpc_remote", "talksToNetwork"],
  ["aten::rpc_async", "talksToNetwork"],
  ["aten::rpc_sync", "talksToNetwork"],
  ["aten::rpc_remote", "talksToNetwork"],
]);

export function torchscriptSideEffect(namespace: string, op: string): TorchscriptSideEffect | undefined {
  const known = SIDE_EFFECTS.get(`${namespace}::${op}`);
  if (known) return known;
  // Point-to-point and collective communication of torch.distributed, callable from TorchScript.
  if (namespace === "c10d" || namespace === "c10d_functional" || namespace === "_c10d_functional") {
    return "exchangesTensors";
  }
  return undefined;
}

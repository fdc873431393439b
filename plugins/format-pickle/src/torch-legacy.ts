import type { Value } from "./values.js";

/** The first pickle of a legacy (pre-zip) torch.save file is this integer. */
export const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

export function isTorchLegacyMagic(value: Value | undefined): boolean {
  return value?.type === "int" && value.big === TORCH_LEGACY_MAGIC;
}

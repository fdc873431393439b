/**
 * The word whose low bits a tensor's element carries: each element's own little-endian word (a
 * component of a complex value); none for block-quantized and opaque data.
 */

import { dtypeInfo, type TensorDType } from "@modelaudit/core";

/** Bytes per word for the low-bit view of a dtype; null for block-quantized and opaque data (no per-element word). */
export function lowWordBytes(dtype: TensorDType): number | null {
  const info = dtypeInfo(dtype);
  if (info.class === "quantized" || info.class === "opaque") return null;
  return info.class === "complex" ? info.blockBytes / 2 : info.blockBytes;
}

/**
 * `@modelaudit/core/detector`: helpers for detector authors: path patterns and evidence formatting,
 * decoded layers, WebAssembly SIMD kernels.
 */
export { allowEntryRegExp, allowList } from "../allow-entry.js";
export {
  DEFAULT_DECODE_LIMITS,
  type DecodedText,
  type DecodeLimits,
  decodeLayers,
  describeEncodings,
  mayHoldEncodedText,
  type TextEncoding,
} from "../decoded-layers.js";
export { globMatcher } from "../engine/glob.js";
export { KernelJobs } from "../engine/kernel-jobs.js";
export {
  AlignedArea,
  instantiateKernel,
  KernelMemory,
  type KernelWithArea,
  kernelWithArea,
} from "../engine/wasm-kernel.js";
export { lineOf, redact, truncateText } from "../findings.js";

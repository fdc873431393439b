/**
 * Operator namespaces libtorch itself (or torchvision/torchaudio, which users install knowingly)
 * registers. Anything else is `torch.ops.<ns>` from an extension library loaded at runtime.
 * `_caffe2` is included: its operators are compiled into libtorch.
 */
export const STANDARD_TORCHSCRIPT_NAMESPACES: ReadonlySet<string> = new Set([
  "",
  "aten",
  "prim",
  "prims",
  "quantized",
  "_quantized",
  "quantized_decomposed",
  "_caffe2",
  "torchvision",
  "torchaudio",
  "profiler",
  "cuda",
  "prepacked",
  "mkldnn",
  "mkl",
  "onednn",
  "onnx",
  "_c10d_functional",
  "_c10d_functional_autograd",
  "c10d_functional",
  "c10d",
  "_dtensor",
  "higher_order",
  "sparse",
]);

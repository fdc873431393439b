const ORT_MEMORY_ADDRESS_TAG = "*/_ORT_MEM_ADDR_/*";

/**
 * Why a path stored in a model leaves the model's directory, or undefined when it stays inside.
 * Loaders join it to the model's directory, so anything absolute, rooted or climbing out escapes.
 */
export function pathEscape(target: string): string | undefined {
  if (target.includes("\0")) return "it contains a NUL byte that truncates the path";
  // onnxruntime's tag for initializers already in its memory (kTensorProtoMemoryAddressTag): runtimes
  // that honour it in a file (OpenVINO's ONNX frontend, CWE-822) read from the address `offset` names.
  if (target === ORT_MEMORY_ADDRESS_TAG)
    return "it is onnxruntime's in-memory tag: runtimes that honour it read the tensor from the process memory address its offset names";
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) return "it is a URL, not a relative path";
  if (/^[A-Za-z]:/.test(target)) return "it starts with a drive letter";
  if (/^[\\/]{2}/.test(target)) return "it is a UNC or network path";
  if (/^[\\/]/.test(target)) return "it is absolute";
  if (/^~/.test(target)) return "it starts in a home directory";
  const segments = target.split(/[\\/]+/);
  if (segments.includes("..")) {
    return target.includes("\\")
      ? "it climbs out with .. segments (backslash separators)"
      : "it climbs out with .. segments";
  }
  return undefined;
}

/**
 * Instantiates one of the SIMD kernels in src/kernels (their bytes, base64, assembled from the .wat
 * beside them). Null where WebAssembly SIMD is missing (V8 needs SSE4.1 on x86) or when
 * MODELAUDIT_NO_SIMD is set: callers then keep their JavaScript loops, which compute the same.
 */
export function instantiateKernel<Exports>(base64: string): (Exports & { memory: WebAssembly.Memory }) | null {
  if (process.env.MODELAUDIT_NO_SIMD) return null;
  try {
    const bytes = Buffer.from(base64, "base64");
    if (!WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports & {
      memory: WebAssembly.Memory;
    };
  } catch {
    return null;
  }
}

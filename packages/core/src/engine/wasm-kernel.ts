const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Instantiates a WebAssembly SIMD kernel from its module's bytes in base64 (the engine's and
 * @modelaudit/tensors' kernels/*.wat are assembled so). Null where WebAssembly SIMD is missing (V8
 * needs SSE4.1 on x86), when MODELAUDIT_NO_SIMD is set, or on a big-endian host (typed-array views
 * of a kernel's words would read them swapped): callers then keep their JavaScript loops, which
 * compute the same. Exported from `@modelaudit/core/detector`.
 */
export function instantiateKernel<Exports>(base64: string): (Exports & { memory: WebAssembly.Memory }) | null {
  if (process.env.MODELAUDIT_NO_SIMD || !LITTLE_ENDIAN) return null;
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

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

/**
 * An input area of a kernel's memory that takes copies at the source's own alignment. Chunks of
 * large files are read into shared memory, and V8 copies out of shared memory word by word only
 * between addresses of one alignment (mod 8), byte by byte (about 15 times slower) otherwise: a
 * copy goes to `address` + (the source's offset mod 8), and the kernel is given that address. The
 * area needs 7 bytes of room past `length`. Exported from `@modelaudit/core/detector`.
 */
export class AlignedArea {
  private readonly views: Uint8Array[];

  constructor(
    buffer: ArrayBufferLike,
    private readonly address: number,
    length: number,
  ) {
    this.views = Array.from({ length: 8 }, (_, shift) => new Uint8Array(buffer, address + shift, length));
  }

  /** Copies `bytes` (at most the area's length) in; returns the address they start at. */
  copy(bytes: Uint8Array): number {
    const shift = bytes.byteOffset & 7;
    (this.views[shift] as Uint8Array).set(bytes);
    return this.address + shift;
  }
}

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
    const module = new WebAssembly.Module(bytes);
    // A kernel that imports its memory works in the thread's KernelMemory (chunks read in place).
    const imports = WebAssembly.Module.imports(module).some((entry) => entry.kind === "memory");
    const memory = imports ? KernelMemory.get()?.memory : undefined;
    if (imports && !memory) return null;
    const instance = new WebAssembly.Instance(module, memory ? { env: { memory } } : {});
    return { ...(instance.exports as unknown as Exports), ...(memory ? { memory } : {}) } as Exports & {
      memory: WebAssembly.Memory;
    };
  } catch {
    return null;
  }
}

/** A kernel instantiated on the thread's KernelMemory with an area of its own reserved there. */
export interface KernelWithArea<Exports> {
  exports: Exports & { memory: WebAssembly.Memory };
  memory: KernelMemory;
  /** The area's address in the memory, and the buffer to make views of it on. */
  base: number;
  buffer: ArrayBufferLike;
}

/**
 * `instantiateKernel` for a kernel that works in the thread's KernelMemory, and `bytes` of that
 * memory reserved for it (its results, tables and the input it copies values to); null where the
 * kernel does not load or there is no KernelMemory, and callers keep their JavaScript loops.
 * Exported from `@modelaudit/core/detector`.
 */
export function kernelWithArea<Exports>(base64: string, bytes: number): KernelWithArea<Exports> | null {
  const exports = instantiateKernel<Exports>(base64);
  const memory = KernelMemory.get();
  if (exports === null || memory === null) return null;
  const base = memory.reserve(bytes);
  return { exports, memory, base, buffer: memory.buffer };
}

/** The kernel memory's size limit: address space reserved, not memory used. */
const MAX_PAGES = 16384;
/** Bytes after each area that a kernel may read past its data (the widest reads past are 64 bytes). */
const SLACK = 128;
/**
 * Chunk areas made at most (the hashing thread's in flight, the one read into and the one being
 * processed, and spares): past them, chunks go to plain shared buffers, which kernels copy.
 */
const MAX_CHUNK_AREAS = 8;
/** Chunk areas are at least the byte pass's chunk, so that one made for a short chunk serves any later. */
const MIN_CHUNK_AREA = 4 * 1024 * 1024;

/**
 * One shared WebAssembly memory per thread, for the kernels that import theirs (their work areas
 * are reserved in it) and for the chunks of large files (`chunk`): a kernel reads a chunk where it
 * was read, with no copy. Copies from the shared buffers chunks are read into cost as much as the
 * kernels' own work (about 0.12 s per GiB of float32 weights, of 0.7 s of the main thread at the
 * standard level). Null where shared WebAssembly memory is missing (the kernels are then too).
 * Exported from `@modelaudit/core/detector`.
 */
export class KernelMemory {
  private static instance: KernelMemory | null | undefined;
  /** Every buffer object the memory has had (a grown memory's buffer is a new object). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top: number;
  /** The chunk areas made so far, by address: their lengths. */
  private readonly areas = new Map<number, number>();
  private readonly spareAreas: Uint8Array[] = [];
  /** Called with an area's range before it is lent again (kernel jobs still reading it settle). */
  private readonly reuseHooks: ((start: number, end: number) => void)[] = [];

  static get(): KernelMemory | null {
    if (KernelMemory.instance === undefined) {
      try {
        KernelMemory.instance = new KernelMemory(
          new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }),
        );
      } catch {
        KernelMemory.instance = null;
      }
    }
    return KernelMemory.instance;
  }

  private constructor(readonly memory: WebAssembly.Memory) {
    this.buffers.add(memory.buffer);
    // Address 0 stays unused: no area starts there.
    this.top = 64;
  }

  /** The current buffer object, covering the whole memory. */
  get buffer(): SharedArrayBuffer {
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(buffer);
    return buffer;
  }

  /**
   * Reserves `bytes` (at an address that is a multiple of 64) for good; throws when the memory is
   * full. SLACK readable bytes follow every area: kernels read a few vectors past their data.
   */
  reserve(bytes: number): number {
    const address = this.top;
    const end = address + Math.ceil((bytes + SLACK) / 64) * 64;
    const pages = Math.ceil(end / 65536);
    const have = this.memory.buffer.byteLength / 65536;
    if (pages > MAX_PAGES) throw new RangeError("the kernel memory is full");
    if (pages > have) this.memory.grow(pages - have);
    this.top = end;
    return address;
  }

  /** Whether `bytes` lie in this memory: their address there is then their `byteOffset`. */
  holds(bytes: ArrayBufferView): boolean {
    return this.buffers.has(bytes.buffer);
  }

  /**
   * An area of `length` bytes to read a chunk into, reused once given back (`giveBack`), or null
   * when MAX_CHUNK_AREAS are out: the caller then uses a shared buffer of its own.
   */
  chunk(length: number): Uint8Array | null {
    const index = this.spareAreas.findIndex((area) => area.length >= length);
    if (index >= 0) {
      const area = this.spareAreas.splice(index, 1)[0] as Uint8Array;
      for (const hook of this.reuseHooks) hook(area.byteOffset, area.byteOffset + area.length);
      return area.subarray(0, length);
    }
    if (this.areas.size >= MAX_CHUNK_AREAS) return null;
    const size = Math.max(length, MIN_CHUNK_AREA);
    const address = this.reserve(size);
    this.areas.set(address, size);
    return new Uint8Array(this.buffer, address, length);
  }

  /**
   * Whether `bytes` lie in one chunk area: bytes that stay put until the area is lent again (kernel
   * jobs reading them are settled first), unlike a kernel's own input, which its next call overwrites.
   */
  inChunkArea(bytes: ArrayBufferView): boolean {
    if (!this.holds(bytes)) return false;
    const start = bytes.byteOffset;
    for (const [address, length] of this.areas) {
      if (start >= address && start + bytes.byteLength <= address + length) return true;
    }
    return false;
  }

  /** `hook(start, end)` runs before an area given back is lent again (its old bytes are overwritten then). */
  beforeReuse(hook: (start: number, end: number) => void): void {
    this.reuseHooks.push(hook);
  }

  /** Gives back an area from `chunk` (or a view that starts where it does); anything else is ignored. */
  giveBack(area: Uint8Array): void {
    const length = this.holds(area) ? this.areas.get(area.byteOffset) : undefined;
    // Given back twice, an area would be lent to two readers.
    if (length === undefined || this.spareAreas.some((spare) => spare.byteOffset === area.byteOffset)) return;
    this.spareAreas.push(new Uint8Array(area.buffer, area.byteOffset, length));
  }
}

/**
 * An input area of a kernel's memory that takes copies at the source's own alignment. Chunks of
 * large files are read into shared memory, and V8 copies out of shared memory word by word only
 * between addresses of one alignment (mod 8), byte by byte (about 15 times slower) otherwise: a
 * copy goes to `address` + (the source's offset mod 8), and the kernel is given that address. The
 * area needs 7 bytes of room past `length`. In a kernel that works in the KernelMemory, bytes that
 * are already there (a chunk read into it) are not copied: the kernel is given their own address.
 * Exported from `@modelaudit/core/detector`.
 */
export class AlignedArea {
  private readonly views: Uint8Array[];
  /** The KernelMemory, when the area is in it. */
  private readonly shared: KernelMemory | null;

  constructor(
    buffer: ArrayBufferLike,
    private readonly address: number,
    length: number,
  ) {
    this.views = Array.from({ length: 8 }, (_, shift) => new Uint8Array(buffer, address + shift, length));
    const memory = KernelMemory.get();
    this.shared = memory?.holds(this.views[0] as Uint8Array) ? memory : null;
  }

  /** Copies `bytes` (at most the area's length) in, unless they are in the kernel's memory; returns their address. */
  copy(bytes: Uint8Array): number {
    if (this.shared?.holds(bytes)) return bytes.byteOffset;
    const shift = bytes.byteOffset & 7;
    (this.views[shift] as Uint8Array).set(bytes);
    return this.address + shift;
  }
}

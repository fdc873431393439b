import type { AnomalyCode } from "@modelaudit/core";
import { ByteBuffer } from "flatbuffers";

/** A flatbuffer reference that cannot be followed: the runtime would read garbage or out of bounds. */
export class FlatbufferError extends Error {
  constructor(
    readonly code: AnomalyCode,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = "FlatbufferError";
  }
}

/** Where a vector's elements start and how many there are, already checked against the bytes. */
export interface VectorRef {
  start: number;
  length: number;
}

/** Largest vtable we accept: 2 bytes per field; TFLite's widest table has fewer than 20 fields. */
const MAX_VTABLE_BYTES = 4 + 2 * 256;

/**
 * Bounds-checked reading over the flatbuffers runtime's ByteBuffer. The runtime trusts every offset
 * (it reads past the end silently), so each position, vtable and vector length is checked here first.
 * `bytes` may be a prefix of a larger file (`fileSize`); references past the prefix are a limit, not
 * corruption.
 */
export class FlatbufferView {
  readonly buffer: ByteBuffer;

  constructor(
    readonly bytes: Uint8Array,
    readonly fileSize: number,
  ) {
    this.buffer = new ByteBuffer(bytes);
  }

  /** Throws unless `length` bytes at `position` are present. */
  need(position: number, length: number, what: string): void {
    if (!Number.isSafeInteger(position) || position < 0 || length < 0) {
      throw new FlatbufferError("malformed", `${what} has an invalid position ${position}`, position);
    }
    const end = position + length;
    if (end <= this.bytes.length) return;
    if (end <= this.fileSize) {
      throw new FlatbufferError(
        "limit-exceeded",
        `${what} at ${position} lies beyond the ${this.bytes.length} bytes read into memory`,
        position,
      );
    }
    throw new FlatbufferError(
      "truncated",
      `${what} at ${position} (${length} bytes) runs past the end of the file (${this.fileSize} bytes)`,
      position,
    );
  }

  /** The root table: a u32 offset at 0, then the 4-byte file identifier. */
  root(): TableRef {
    this.need(0, 8, "root offset and file identifier");
    return this.table(this.buffer.readUint32(0), "root table");
  }

  table(position: number, what: string): TableRef {
    this.need(position, 4, what);
    // The table starts with a signed offset back (or forward) to its vtable.
    const vtable = position - this.buffer.readInt32(position);
    this.need(vtable, 4, `${what} vtable`);
    const vtableSize = this.buffer.readUint16(vtable);
    const objectSize = this.buffer.readUint16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtableSize > MAX_VTABLE_BYTES) {
      throw new FlatbufferError("malformed", `${what} has a vtable of ${vtableSize} bytes`, vtable);
    }
    if (objectSize < 4)
      throw new FlatbufferError("malformed", `${what} claims an object of ${objectSize} bytes`, position);
    this.need(vtable, vtableSize, `${what} vtable`);
    this.need(position, objectSize, what);
    return new TableRef(this, position, vtable, vtableSize, objectSize, what);
  }
}

/** One table: fields by schema id, each checked to lie inside the object before it is read. */
export class TableRef {
  constructor(
    private readonly view: FlatbufferView,
    readonly position: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly objectSize: number,
    readonly what: string,
  ) {}

  /** Absolute position of field `id` (its `width` bytes inside the object), or 0 when absent. */
  private field(id: number, width: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const relative = this.view.buffer.readUint16(this.vtable + slot);
    if (relative === 0) return 0;
    if (relative < 4 || relative + width > this.objectSize) {
      throw new FlatbufferError(
        "malformed",
        `${this.what} field ${id} sits at ${relative}, outside its ${this.objectSize}-byte object`,
        this.position,
      );
    }
    return this.position + relative;
  }

  has(id: number): boolean {
    return this.field(id, 1) !== 0;
  }

  int8(id: number, fallback: number): number {
    const at = this.field(id, 1);
    return at === 0 ? fallback : this.view.buffer.readInt8(at);
  }

  uint8(id: number, fallback: number): number {
    const at = this.field(id, 1);
    return at === 0 ? fallback : this.view.buffer.readUint8(at);
  }

  int32(id: number, fallback: number): number {
    const at = this.field(id, 4);
    return at === 0 ? fallback : this.view.buffer.readInt32(at);
  }

  uint32(id: number, fallback: number): number {
    const at = this.field(id, 4);
    return at === 0 ? fallback : this.view.buffer.readUint32(at);
  }

  uint64(id: number, fallback: bigint): bigint {
    const at = this.field(id, 8);
    return at === 0 ? fallback : this.view.buffer.readUint64(at);
  }

  /** Follows a uoffset field to the object it points at; null when the field is absent. */
  private reference(id: number, what: string): number | null {
    const at = this.field(id, 4);
    if (at === 0) return null;
    const target = at + this.view.buffer.readUint32(at);
    this.view.need(target, 4, what);
    return target;
  }

  /** A vector field whose length × element size is checked against the bytes that follow it. */
  vector(id: number, elementSize: number, what: string): VectorRef | null {
    const target = this.reference(id, what);
    if (target === null) return null;
    const length = this.view.buffer.readUint32(target);
    const start = target + 4;
    const available = Math.max(0, this.view.fileSize - start);
    if (length * elementSize > available) {
      throw new FlatbufferError(
        "malformed",
        `${what} claims ${length} elements (${length * elementSize} bytes) but only ${available} bytes follow it`,
        target,
      );
    }
    this.view.need(start, length * elementSize, what);
    return { start, length };
  }

  /** A string field, decoded up to `maxBytes` (longer strings are cut, never allocated whole). */
  string(id: number, what: string, maxBytes = 64 * 1024): string | null {
    const vector = this.vector(id, 1, what);
    if (vector === null) return null;
    const length = Math.min(vector.length, maxBytes);
    return new TextDecoder("utf-8", { fatal: false }).decode(
      this.view.bytes.subarray(vector.start, vector.start + length),
    );
  }

  /** Element `index` of a vector of tables. */
  tableAt(vector: VectorRef, index: number, what: string): TableRef {
    const at = vector.start + 4 * index;
    return this.view.table(at + this.view.buffer.readUint32(at), what);
  }

  int32At(vector: VectorRef, index: number): number {
    return this.view.buffer.readInt32(vector.start + 4 * index);
  }

  bytesOf(vector: VectorRef, maxBytes: number): Uint8Array {
    return this.view.bytes.subarray(vector.start, vector.start + Math.min(vector.length, maxBytes));
  }
}

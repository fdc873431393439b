import type { TensorFact } from "../facts.js";
import type { Origin, TensorConsumer, TensorStream } from "../plugin.js";
import { type DTypeInfo, dtypeInfo } from "../tensors.js";

/** Aligned scratch space for misaligned or byte-swapped pieces, reused. */
const SCRATCH_BYTES = 4 * 1024 * 1024;

/**
 * One tensor's data on its way to the consumers that asked for it: pieces of any size and alignment
 * come in, in order; whole elements (whole blocks for block-quantized types), little-endian and
 * aligned to the element size go out. Shared consumers get every piece first and end first.
 */
export class TensorFeed implements TensorStream {
  readonly info: DTypeInfo;
  readonly byteLength: number;
  private readonly sharedConsumers = new Map<string, TensorConsumer>();
  private readonly own: { consumer: TensorConsumer; fail: (error: unknown) => void }[] = [];
  private consumers: { consumer: TensorConsumer; fail: (error: unknown) => void }[] = [];
  /** Bytes delivered so far. */
  private delivered = 0;
  /** Bytes of a block split across pieces. */
  private readonly carry: Uint8Array;
  private carried = 0;
  private ended = false;
  /** Asks the detectors for their consumers; run when the data starts (see `openWith`). */
  private opener: (() => void) | null = null;
  private readonly swapWidth: number;
  private readonly align: number;

  constructor(
    readonly fact: TensorFact,
    readonly origin: Origin,
    readonly dataOrigin: Origin,
    readonly dataOffset: number,
    declaredLength: number,
    private readonly onSharedFailure: (error: unknown) => void,
  ) {
    this.info = dtypeInfo(fact.dtype);
    const block = this.info.blockBytes;
    this.byteLength = declaredLength - (declaredLength % block);
    this.carry = new Uint8Array(block);
    const plainWidth = this.info.blockElements === 1 ? block : 1;
    // Complex values swap each half; every other plain type swaps its whole width.
    const elementWidth = this.info.class === "complex" ? plainWidth / 2 : plainWidth;
    this.swapWidth = fact.byteOrder === "big" && elementWidth > 1 ? elementWidth : 1;
    this.align = Math.max(elementWidth, 1);
  }

  shared<T extends TensorConsumer>(key: string, create: () => T): T {
    // After the end the shared consumers are released: a late caller would get an empty one.
    if (this.ended) throw new Error(`tensor ${this.fact.name} has ended: shared consumers are asked for in onTensor`);
    let consumer = this.sharedConsumers.get(key);
    if (!consumer) {
      consumer = create();
      this.sharedConsumers.set(key, consumer);
    }
    return consumer as T;
  }

  /**
   * Adds the consumer a detector returned; `fail` records a consumer that threw (it gets nothing
   * more). A shared consumer returned again is fed once, as a shared one.
   */
  addConsumer(consumer: TensorConsumer, fail: (error: unknown) => void): void {
    for (const shared of this.sharedConsumers.values()) if (shared === consumer) return;
    if (this.own.some((entry) => entry.consumer === consumer)) return;
    this.own.push({ consumer, fail });
  }

  /**
   * Defers asking detectors for consumers until the tensor's data starts (or ends unread): a model
   * declares hundreds of tensors at once, and every detector's per-tensor state would otherwise be
   * allocated for all of them together. The opener adds consumers; the list is then sealed.
   */
  openWith(opener: () => void): void {
    this.opener = opener;
  }

  private open(): void {
    const opener = this.opener;
    this.opener = null;
    opener?.();
    this.seal();
  }

  /** Freezes the consumer list: shared consumers first, then the detectors' own. */
  private seal(): void {
    this.consumers = [
      ...[...this.sharedConsumers.values()].map((consumer) => ({ consumer, fail: this.onSharedFailure })),
      ...this.own,
    ];
  }

  /** Bytes still expected. */
  get remaining(): number {
    return this.byteLength - this.delivered - this.carried;
  }

  /** Hands the next bytes of the tensor's data (in order; anything past its length is ignored). */
  push(bytes: Uint8Array): void {
    if (this.ended) return;
    if (this.opener) this.open();
    let piece = bytes.subarray(0, Math.min(bytes.length, this.remaining));
    const block = this.info.blockBytes;
    if (this.carried > 0) {
      const take = Math.min(block - this.carried, piece.length);
      this.carry.set(piece.subarray(0, take), this.carried);
      this.carried += take;
      piece = piece.subarray(take);
      if (this.carried < block) return;
      this.carried = 0;
      this.deliver(this.carry);
    }
    const whole = piece.length - (piece.length % block);
    if (whole > 0) this.deliver(piece.subarray(0, whole));
    if (whole < piece.length) {
      this.carry.set(piece.subarray(whole));
      this.carried = piece.length - whole;
    }
  }

  /** Ends the tensor; complete when every expected byte arrived. Returns whether it was complete. */
  end(): boolean {
    if (this.ended) return this.delivered === this.byteLength;
    if (this.opener) this.open();
    this.ended = true;
    const complete = this.delivered === this.byteLength;
    for (const entry of this.consumers) {
      try {
        entry.consumer.end(complete);
      } catch (error) {
        entry.fail(error);
      }
    }
    // Consumers are done: let their state go (a model has hundreds of tensors).
    this.consumers = [];
    this.own.length = 0;
    this.sharedConsumers.clear();
    return complete;
  }

  /** Whole blocks, in pieces no larger than the scratch buffer when they must be copied. */
  private deliver(blocks: Uint8Array): void {
    const needsCopy = this.swapWidth > 1 || (this.align > 1 && blocks.byteOffset % this.align !== 0);
    if (!needsCopy) {
      this.send(blocks);
      return;
    }
    // Never swap in place: the same bytes may be another tensor's or a byte detector's.
    const scratch = scratchBuffer();
    const step = SCRATCH_BYTES - (SCRATCH_BYTES % this.info.blockBytes);
    for (let start = 0; start < blocks.length; start += step) {
      const part = blocks.subarray(start, Math.min(blocks.length, start + step));
      const copy = scratch.subarray(0, part.length);
      copy.set(part);
      if (this.swapWidth > 1) swapBytes(copy, this.swapWidth);
      this.send(copy);
    }
  }

  private send(chunk: Uint8Array): void {
    const offset = this.delivered;
    this.delivered += chunk.length;
    const still: typeof this.consumers = [];
    for (const entry of this.consumers) {
      try {
        entry.consumer.data(chunk, offset);
        still.push(entry);
      } catch (error) {
        entry.fail(error);
      }
    }
    if (still.length !== this.consumers.length) this.consumers = still;
  }
}

let scratch: Uint8Array | undefined;
function scratchBuffer(): Uint8Array {
  scratch ??= new Uint8Array(SCRATCH_BYTES);
  return scratch;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let start = 0; start + width <= bytes.length; start += width) {
    for (let low = start, high = start + width - 1; low < high; low++, high--) {
      const byte = bytes[low] as number;
      bytes[low] = bytes[high] as number;
      bytes[high] = byte;
    }
  }
}

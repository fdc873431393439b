import type { DetectorContext, Identified, TensorConsumer, TensorDType } from "@modelaudit/core";
import { LOW_BIT_STREAMS, type LowBitStreamKind, LowBitStreams, lowWordBytes } from "@modelaudit/tensors";
import { PrintableRunCounter, type TextRun } from "./printable-run.js";

/** Bytes kept at the start of each extracted stream for identification: a payload's header sits near its start. */
export const SIGNATURE_WINDOW = 64 * 1024;

export const STREAM_DESCRIPTIONS: Record<LowBitStreamKind, string> = {
  "lsb-msb-first": "the least significant mantissa bit of each value (first value = most significant bit)",
  "lsb-lsb-first": "the least significant mantissa bit of each value (first value = least significant bit)",
  "low-byte": "the low byte of each value",
};

export interface HiddenData {
  stream: LowBitStreamKind;
  /** What the engine's sniffers recognised in the extracted bytes, first by offset. */
  signature: Identified | null;
  /** The first extracted bytes of the signature, in hex. */
  signatureBytes: string;
  text: TextRun | null;
}

/**
 * The low-order bits of one tensor's values as byte streams (LSB of each value both ways; the low
 * byte of 32- and 64-bit values, where it is noise-level precision), judged as they come: every byte
 * goes through a printable-run counter, the first SIGNATURE_WINDOW bytes are shown to the engine's
 * sniffers at the end, at every offset where a registered format's magic occurs.
 */
export class HiddenDataReader implements TensorConsumer {
  private readonly streams: LowBitStreams;
  private readonly runs = new Map<LowBitStreamKind, PrintableRunCounter>();
  /** A stream held more magic numbers than the engine sniffs: some offsets were not identified. */
  limited = false;

  constructor(
    dtype: TensorDType,
    private readonly context: Pick<DetectorContext, "identify">,
  ) {
    // In 16-bit values the low byte is half the value, not hidden precision.
    const kinds =
      (lowWordBytes(dtype) ?? 0) >= 4 ? LOW_BIT_STREAMS : LOW_BIT_STREAMS.filter((kind) => kind !== "low-byte");
    for (const kind of kinds) this.runs.set(kind, new PrintableRunCounter());
    this.streams = new LowBitStreams(dtype, {
      window: SIGNATURE_WINDOW,
      streams: kinds,
      onBytes: (kind, bytes) => {
        (this.runs.get(kind) as PrintableRunCounter).pushAll(bytes);
      },
    });
  }

  data(chunk: Uint8Array, offset: number): void {
    this.streams.data(chunk, offset);
  }

  end(complete: boolean): void {
    this.streams.end(complete);
  }

  /** What the streams hide, once the tensor has ended: a recognised file outranks text; null when nothing. */
  result(): HiddenData | null {
    let hidden: HiddenData | null = null;
    for (const [kind, counter] of this.runs) {
      counter.end();
      const kept = this.streams.kept(kind);
      // Only where a format announces itself with its magic: sniffers that may claim anything at
      // offset 0 (a pickle can start with any opcode) would name random low bits.
      const identified = kept.length > 0 ? this.context.identify(kept, { magicOnly: true }) : [];
      if ("limited" in identified && identified.limited) this.limited = true;
      const signature = identified[0] ?? null;
      if (signature === null && counter.found === null) continue;
      const found: HiddenData = {
        stream: kind,
        signature,
        signatureBytes: signature
          ? Buffer.from(kept.subarray(signature.offset, signature.offset + 16)).toString("hex")
          : "",
        text: counter.found,
      };
      if (hidden === null || (hidden.signature === null && found.signature !== null)) hidden = found;
    }
    return hidden;
  }
}

import type { DetectorContext, Identified, TensorConsumer, TensorDType } from "@modelaudit/core";
import { type LowBitPlane, LowBitPlanes, lowBitPlanesFor, printableBits } from "@modelaudit/tensors";
import { PrintableRunCounter, type TextRun } from "./printable-run.js";

/**
 * Bytes kept at the start of each plane for identification, per level: a payload's header sits near
 * its start (where the tool starts writing, usually the first value). Packing and sniffing the
 * window is most of this reader's cost on every tensor, so `standard` looks at the first 16 KiB
 * (the first 128K values at one bit each) and `thorough` at 64 KiB.
 */
export const SIGNATURE_WINDOW = { standard: 16 * 1024, thorough: 64 * 1024 } as const;

/** How a plane reads, for messages. */
export function describePlane(plane: LowBitPlane): string {
  const bits = plane.bits === 1 ? "the lowest bit" : `the low ${plane.bits} bits`;
  const order = plane.bits === 8 ? "" : plane.order === "msb-first" ? ", first value first" : ", first value last";
  return `${bits} of each value${order}`;
}

export interface HiddenFile {
  plane: LowBitPlane;
  /** What the engine's sniffers recognised, first by offset (offset in the plane's bytes, or in the decoded base64). */
  signature: Identified;
  /** The first bytes of the file, in hex. */
  head: string;
  /** Set when the file was base64 text in the plane. */
  base64: TextRun | null;
}

export interface HiddenText {
  plane: LowBitPlane;
  text: TextRun;
}

/**
 * The low-bit planes of one tensor (1, 2, 4 and 8 bits per value, both orders), judged as they
 * come: every byte goes through a printable-run counter; the first `window` bytes of each
 * plane, and any base64 run's decoded bytes, are shown to the engine's sniffers at the end, at every
 * offset where a registered format's magic occurs.
 */
export class HiddenPlaneReader implements TensorConsumer {
  private readonly planes: LowBitPlanes;
  private readonly runs: PrintableRunCounter[];
  /** A plane held more magic numbers than the engine sniffs: some offsets were not identified. */
  limited = false;

  /** `byteLength`: the tensor's data size, so a small tensor keeps windows of its own size. */
  constructor(
    dtype: TensorDType,
    private readonly context: Pick<DetectorContext, "identify">,
    byteLength = Number.POSITIVE_INFINITY,
    window: number = SIGNATURE_WINDOW.thorough,
  ) {
    const planes = lowBitPlanesFor(dtype);
    this.runs = planes.map(() => new PrintableRunCounter());
    this.planes = new LowBitPlanes(dtype, {
      planes,
      window,
      dataBytes: byteLength,
      onPlane: (plane, bytes) => (this.runs[plane] as PrintableRunCounter).pushAll(bytes, printableBits(bytes)),
    });
  }

  data(chunk: Uint8Array, offset: number): void {
    this.planes.data(chunk, offset);
  }

  end(complete: boolean): void {
    this.planes.end(complete);
    for (const run of this.runs) run.end();
  }

  /** Gives the planes' windows back once judged (`file` reads them). */
  release(): void {
    this.planes.release();
  }

  /** A file in the planes: the shallowest plane first (fewest bits changed per value), a file in base64 after. */
  file(): HiddenFile | null {
    let base64File: HiddenFile | null = null;
    for (const [index, plane] of this.planes.planes.entries()) {
      const kept = this.planes.kept(index);
      const found = this.identify(kept);
      if (found) return { plane, signature: found, head: hex(kept, found.offset), base64: null };
      const text = (this.runs[index] as PrintableRunCounter).found;
      if (base64File === null && text?.base64) {
        const inner = this.identify(text.base64.decoded);
        if (inner) base64File = { plane, signature: inner, head: hex(text.base64.decoded, inner.offset), base64: text };
      }
    }
    return base64File;
  }

  /** Text in the planes (prose first, then base64 that decodes to no file); null when none. */
  text(): HiddenText | null {
    let encoded: HiddenText | null = null;
    for (const [index, plane] of this.planes.planes.entries()) {
      const text = (this.runs[index] as PrintableRunCounter).found;
      if (!text) continue;
      if (!text.base64) return { plane, text };
      encoded ??= { plane, text };
    }
    return encoded;
  }

  private identify(bytes: Uint8Array): Identified | null {
    if (bytes.length === 0) return null;
    // Only where a format announces itself with its magic: sniffers that may claim anything at
    // offset 0 would name random low bits; handlers sniff extracted bytes strictly.
    const identified = this.context.identify(bytes, { magicOnly: true });
    if (identified.limited) this.limited = true;
    return identified[0] ?? null;
  }
}

function hex(bytes: Uint8Array, offset: number): string {
  return Buffer.from(bytes.subarray(offset, offset + 16)).toString("hex");
}

/** Decoded base64 that reads as text, for messages. */
export function decodedText(decoded: Uint8Array): string | null {
  const sample = decoded.subarray(0, 256);
  let printable = 0;
  for (const byte of sample) if ((byte >= 0x20 && byte <= 0x7e) || byte === 0x0a || byte === 0x09) printable++;
  // Decoded bytes are all printable only when text was encoded: random bytes fail at once.
  if (sample.length < 16 || printable < sample.length * 0.95) return null;
  return String.fromCharCode(...sample);
}

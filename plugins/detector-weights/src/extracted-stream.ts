import { findSignature, type SignatureMatch } from "./file-signatures.js";
import { PrintableRunCounter, type TextRun } from "./printable-run.js";

/** Extracted bytes kept per stream for the signature check: a payload's header sits at its start. */
export const SIGNATURE_WINDOW = 64 * 1024;

/** Which low-order bits of each value a stream is assembled from. */
export type StreamKind = "lsb-msb-first" | "lsb-lsb-first" | "low-byte";

export const STREAM_DESCRIPTIONS: Record<StreamKind, string> = {
  "lsb-msb-first": "the least significant mantissa bit of each value (first value = most significant bit)",
  "lsb-lsb-first": "the least significant mantissa bit of each value (first value = least significant bit)",
  "low-byte": "the low byte of each value",
};

export interface HiddenData {
  stream: StreamKind;
  signature: SignatureMatch | null;
  /** The first extracted bytes of the signature, in hex. */
  signatureBytes: string;
  text: TextRun | null;
}

/**
 * Bytes assembled from the low-order bits of consecutive values, judged as they come: the first
 * `SIGNATURE_WINDOW` bytes are kept for the signature check (offsets aligned to the tensor start and
 * to whole bytes), every byte goes through the printable-run counter.
 */
export class ExtractedStream {
  private window: Uint8Array | null;
  private length = 0;
  private signature: SignatureMatch | null = null;
  private signatureBytes = "";
  private readonly runs = new PrintableRunCounter();

  constructor(
    readonly kind: StreamKind,
    /** Bytes the stream will hold at most (sizes the window for small tensors). */
    expectedBytes: number,
  ) {
    this.window = new Uint8Array(Math.max(0, Math.min(SIGNATURE_WINDOW, expectedBytes)));
  }

  push(byte: number): void {
    const window = this.window;
    if (window !== null) {
      if (this.length < window.length) window[this.length++] = byte;
      if (this.length === window.length) this.closeWindow();
    }
    this.runs.push(byte);
  }

  /** What the stream hides, once it has ended; null when nothing. */
  end(): HiddenData | null {
    this.closeWindow();
    this.runs.end();
    if (this.signature === null && this.runs.found === null) return null;
    return { stream: this.kind, signature: this.signature, signatureBytes: this.signatureBytes, text: this.runs.found };
  }

  private closeWindow(): void {
    if (this.window === null) return;
    this.signature = findSignature(this.window.subarray(0, this.length));
    if (this.signature) {
      const { offset } = this.signature;
      this.signatureBytes = Buffer.from(this.window.subarray(offset, offset + 16)).toString("hex");
    }
    this.window = null;
  }
}

import type { AnomalyCode, Fact, ParseContext } from "@modelaudit/core";
import { readWhole } from "@modelaudit/core/format";
import protobuf from "protobufjs";
import { TENSORFLOW_LIMITS } from "./limits.js";
import { estimateFieldCount, ProtoProblem } from "./wire-reader.js";

export { TENSORFLOW_LIMITS };

const lenient = new TextDecoder("utf-8");

export function truncate(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

export function bytesToText(bytes: Uint8Array | undefined, limit: number): string {
  if (!bytes || bytes.length === 0) return "";
  // Decode a little more than the limit in bytes: a character is at most 4 bytes.
  return truncate(lenient.decode(bytes.subarray(0, limit * 4)), limit);
}

/**
 * One file being parsed: the bytes, the counters behind the bounds, and the way problems become
 * anomalies plus an inconclusive outcome.
 */
export class TensorflowParse {
  nodes = 0;
  functions = 0;
  /** Documents for other handlers (Keras layer configs), scanned as nested sources after the walk. */
  readonly handOffs: { name: string; text: string }[] = [];
  private readonly limitsNoted = new Set<string>();

  constructor(
    readonly context: ParseContext,
    /** A Buffer view, so protobufjs hands out `bytes` fields as views rather than copies. */
    readonly bytes: Buffer,
    /** What the file is, for messages ("TensorFlow SavedModel"). */
    readonly what: string,
  ) {}

  emit(fact: Fact): void {
    this.context.emit(fact);
  }

  /** Counts one node; throws once the file holds more than the bound. */
  countNode(): void {
    this.nodes++;
    if (this.nodes > TENSORFLOW_LIMITS.maxNodes) {
      throw new ProtoProblem("limit-exceeded", `more than ${TENSORFLOW_LIMITS.maxNodes} nodes; the rest were not read`);
    }
    if ((this.nodes & 1023) === 0) this.context.checkDeadline();
  }

  countFunction(): void {
    this.functions++;
    if (this.functions > TENSORFLOW_LIMITS.maxFunctions) {
      throw new ProtoProblem(
        "limit-exceeded",
        `more than ${TENSORFLOW_LIMITS.maxFunctions} library functions; the rest were not read`,
      );
    }
  }

  /** A bound hit that does not stop the parse: noted once per kind, and the file is inconclusive. */
  noteLimit(kind: string, message: string, path?: string): void {
    if (this.limitsNoted.has(kind)) return;
    this.limitsNoted.add(kind);
    this.problem("limit-exceeded", message, path);
  }

  problem(code: AnomalyCode, message: string, path?: string): void {
    this.emit({ kind: "anomaly", code, message, ...(path ? { location: { path } } : {}) });
    this.context.inconclusive(`${this.what}: ${message}`);
  }

  /** Decodes the leaf message in [start, end) with protobufjs, after checking it cannot explode. */
  decode<T>(type: protobuf.Type, start: number, end: number, what: string): T {
    if (end - start >= TENSORFLOW_LIMITS.estimateAbove) {
      const budget = TENSORFLOW_LIMITS.maxMessageFields + 1;
      if (estimateFieldCount(this.bytes, start, end, 8, budget) >= budget) {
        throw new ProtoProblem(
          "limit-exceeded",
          `${what} holds more than ${TENSORFLOW_LIMITS.maxMessageFields} fields; not decoded`,
        );
      }
    }
    const reader = protobuf.Reader.create(this.bytes.subarray(start, end));
    reader.discardUnknown = true;
    try {
      return type.decode(reader) as unknown as T;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /index out of range|premature/i.test(message) ? "truncated" : "malformed";
      throw new ProtoProblem(code, `${what} at offset ${start} could not be decoded: ${message}`);
    }
  }

  /** Runs the walk; a ProtoProblem becomes an anomaly and an inconclusive outcome, anything else propagates. */
  run(walk: () => void): void {
    try {
      walk();
    } catch (error) {
      if (!(error instanceof ProtoProblem)) throw error;
      this.problem(error.code, error.message);
    }
  }
}

/** Reads the whole source as a Buffer view when it fits the bounds; otherwise records why not and returns null. */
export async function readProtoBytes(context: ParseContext, what: string): Promise<Buffer | null> {
  const bytes = await readWhole(context, what, TENSORFLOW_LIMITS.maxProtoBytes);
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

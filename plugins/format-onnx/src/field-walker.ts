import type { ParseContext } from "@modelaudit/core";
import type { ProblemList } from "@modelaudit/core/format";
import type { ByteWindow } from "./byte-window.js";
import type { Payload } from "./model-types.js";
import type { FieldDefinition, MessageType } from "./onnx-schema.js";

/** Messages walked field by field over the source; every other message is small and decoded by protobufjs. */
const STREAMED = new Set([
  "ModelProto",
  "GraphProto",
  "NodeProto",
  "AttributeProto",
  "TensorProto",
  "SparseTensorProto",
  "FunctionProto",
  "TrainingInfoProto",
]);

/** Tensor contents: recorded by offset and length, never read (raw_data can be gigabytes). */
const PAYLOAD_FIELDS = new Set(["raw_data", "float_data", "int32_data", "int64_data", "double_data", "uint64_data"]);

/**
 * The wire type of one unpacked element of each repeated tensor field. protobuf accepts a repeated
 * scalar packed (one length-delimited run) or unpacked (one tagged value each), and concatenates
 * every run: the walker records each run or element as a segment, in order, for the tensor reader.
 */
const ELEMENT_WIRE: Readonly<Record<string, number>> = {
  float_data: 5,
  double_data: 1,
  int32_data: 0,
  int64_data: 0,
  uint64_data: 0,
};
/** Bytes charged against maxRetained for each recorded segment. */
const SEGMENT_COST = 16;

const VARINT_TYPES = new Set(["int64", "uint64", "int32", "uint32", "bool"]);

/**
 * Scalars that decide which operator runs or where its data comes from. protobuf keeps the last of
 * a repeated scalar; a reader that keeps the first (a hand-written or streaming one) sees another
 * model, so earlier values are kept under EARLIER for the emitter to judge too.
 */
const DECIDING_SCALARS = new Set([
  "NodeProto.op_type",
  "NodeProto.domain",
  "NodeProto.overload",
  "FunctionProto.name",
  "FunctionProto.domain",
  "TensorProto.data_location",
]);

/** Set on a streamed message the end of the file cuts short: what it holds is only a prefix. */
export const CUT = "$cut";
/** Key of the earlier values of a deciding scalar, `{ field: [values...] }`; no schema field has a `$`. */
export const EARLIER = "$earlier";
const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;

export interface WalkLimits {
  /** Deepest message nesting followed. */
  maxMessageDepth: number;
  /** Deepest graph nesting (main graph = 1, an If/Loop/Scan body inside it = 2, ...). */
  maxGraphDepth: number;
  /** Longest string read into memory; longer ones are read up to this and flagged. */
  maxString: number;
  /** Largest small message or packed array decoded in memory. */
  maxLeaf: number;
  /** Bytes of strings and decoded values kept for one model. */
  maxRetained: number;
}

export type Decoded = Record<string, unknown>;

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * A schema-driven protobuf walker over a Source: follows ONNX's container messages by offset,
 * skips tensor payloads without reading them, checks every length against its enclosing message,
 * and bounds nesting. Partial results stay attached to the tree when it has to stop.
 */
export class FieldWalker {
  fields = 0;
  retained = 0;
  private readonly mismatches = new Set<string>();
  private readonly differentials = new Set<string>();

  constructor(
    private readonly window: ByteWindow,
    private readonly context: Pick<ParseContext, "checkDeadline">,
    private readonly problems: ProblemList,
    private readonly limits: WalkLimits,
  ) {}

  async walk(type: MessageType, start: number, end: number, target: Decoded, depth = 0, graphDepth = 0) {
    let position = start;
    while (position < end) {
      if (++this.fields % 1024 === 0) this.context.checkDeadline();
      if (!this.window.has(position, 24)) await this.window.load(position, 24);
      const tagAt = position;
      const [tag, afterTag] = this.varint(position, end, type.name);
      const number = Math.floor(tag / 8);
      const wire = tag % 8;
      if (number === 0) this.problems.stop("malformed", `${type.name}: field number 0`, { offset: tagAt });
      position = afterTag;
      const definition = type.fieldsById[number];
      if (wire === 0) {
        const [value, next] = this.varint(position, end, type.name);
        if (definition && ELEMENT_WIRE[definition.name] === 0)
          this.segment(target, definition, position, next - position);
        position = next;
        if (definition && !PAYLOAD_FIELDS.has(definition.name)) {
          if (VARINT_TYPES.has(definition.type)) {
            this.storeScalar(type, target, definition, signed(value, definition.type), tagAt);
          } else this.mismatch(type, definition, wire, tagAt);
        }
      } else if (wire === 1 || wire === 5) {
        const width = wire === 1 ? 8 : 4;
        if (position + width > end) this.overrun(type.name, position + width, end, tagAt);
        if (definition && ELEMENT_WIRE[definition.name] === wire) this.segment(target, definition, position, width);
        if (definition && !PAYLOAD_FIELDS.has(definition.name)) {
          const expected = wire === 1 ? "double" : "float";
          if (definition.type === expected) store(target, definition, this.fixed(position, wire));
          else this.mismatch(type, definition, wire, tagAt);
        }
        position += width;
      } else if (wire === 2) {
        const [length, payloadStart] = this.varint(position, end, type.name);
        const payloadEnd = payloadStart + length;
        if (payloadEnd > end) {
          const where = `${type.name}.${definition?.name ?? `field ${number}`}`;
          if (definition && end === this.window.size && isStreamed(definition)) {
            // A cut file: record it, then still read what is there (a truncated model may show its operators).
            this.problems.add(
              "truncated",
              `${where}: the file ends before its bytes (needs ${payloadEnd} bytes, the file has ${end})`,
              {
                offset: tagAt,
              },
            );
            await this.lengthDelimited(
              type,
              definition,
              payloadStart,
              end - payloadStart,
              target,
              depth,
              graphDepth,
              true,
            );
            return;
          }
          this.overrun(where, payloadEnd, end, tagAt);
        }
        if (definition) await this.lengthDelimited(type, definition, payloadStart, length, target, depth, graphDepth);
        position = payloadEnd;
      } else if (wire === 3) {
        // No ONNX message has groups; protobuf skips an unknown group field and loads the model.
        position = await this.skipGroup(position, end, number, type.name, 1);
      } else {
        this.problems.stop("malformed", `${type.name}: wire type ${wire} is not used by ONNX`, { offset: tagAt });
      }
    }
  }

  private async lengthDelimited(
    type: MessageType,
    definition: FieldDefinition,
    start: number,
    length: number,
    target: Decoded,
    depth: number,
    graphDepth: number,
    cut = false,
  ): Promise<void> {
    if (PAYLOAD_FIELDS.has(definition.name)) {
      if (definition.repeated) {
        this.segment(target, definition, start, length);
      } else {
        // raw_data is a singular bytes field: the last copy wins, as in protobuf.
        const payload: Payload = { offset: start, length };
        target[definition.name] = payload;
      }
      return;
    }
    const resolved = definition.resolvedType;
    if (resolved && "fieldsById" in resolved) {
      const child = resolved as MessageType;
      if (STREAMED.has(child.name)) {
        if (depth + 1 > this.limits.maxMessageDepth) {
          this.problems.stop("limit-exceeded", `messages nested deeper than ${this.limits.maxMessageDepth} levels`, {
            offset: start,
          });
        }
        const nextGraphDepth = child.name === "GraphProto" ? graphDepth + 1 : graphDepth;
        if (nextGraphDepth > this.limits.maxGraphDepth) {
          this.problems.stop(
            "limit-exceeded",
            `subgraphs nested deeper than ${this.limits.maxGraphDepth - 1} levels below the main graph`,
            { offset: start },
          );
        }
        const existing = target[definition.name];
        if (!definition.repeated && isDecoded(existing)) {
          // protobuf merges a message field written twice (repeated fields concatenate, scalars: last
          // wins); readers that replace it (protobufjs, most hand-written ones) keep only the last.
          this.differential(
            `${type.name}.${definition.name} is written more than once: protobuf (onnx.load, onnxruntime) merges the copies, protobufjs-style readers keep only the last`,
            start,
          );
          await this.walk(child, start, start + length, existing, depth + 1, nextGraphDepth);
          return;
        }
        const decoded: Decoded = cut ? { [CUT]: true } : {};
        store(target, definition, decoded);
        await this.walk(child, start, start + length, decoded, depth + 1, nextGraphDepth);
        return;
      }
      if (length > this.limits.maxLeaf) {
        this.problems.stop(
          "limit-exceeded",
          `${child.name} of ${length} bytes is over the ${this.limits.maxLeaf} byte bound`,
          {
            offset: start,
          },
        );
      }
      this.retain(length, start);
      const bytes = await this.window.copy(start, length);
      try {
        const value = child.toObject(child.decode(bytes), { longs: Number, bytes: String, defaults: false });
        const existing = target[definition.name];
        if (!definition.repeated && isDecoded(existing)) mergeInto(existing, value);
        else store(target, definition, value);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.problems.stop("malformed", `${child.name} does not decode: ${reason}`, { offset: start });
      }
      return;
    }
    if (definition.type === "string" || definition.type === "bytes") {
      const kept = Math.min(length, this.limits.maxString);
      if (kept < length) {
        this.problems.add(
          "limit-exceeded",
          `${type.name}.${definition.name}: a ${length}-byte string was read only up to ${kept} bytes`,
          { offset: start },
          false,
        );
      }
      this.retain(kept, start);
      this.storeScalar(type, target, definition, decoder.decode(await this.window.copy(start, kept)), start);
      return;
    }
    if (
      definition.repeated &&
      (VARINT_TYPES.has(definition.type) || definition.type === "float" || definition.type === "double")
    ) {
      if (length > this.limits.maxLeaf) {
        this.problems.stop("limit-exceeded", `${type.name}.${definition.name}: packed array of ${length} bytes`, {
          offset: start,
        });
      }
      this.retain(length, start);
      this.packed(definition, await this.window.copy(start, length), target, start);
      return;
    }
    this.mismatch(type, definition, 2, start);
  }

  private packed(definition: FieldDefinition, bytes: Uint8Array, target: Decoded, offset: number): void {
    target[definition.name] ??= [];
    const values = target[definition.name] as (number | boolean)[];
    if (definition.type === "float" || definition.type === "double") {
      const width = definition.type === "float" ? 4 : 8;
      if (bytes.length % width !== 0) {
        this.problems.stop("malformed", `packed ${definition.name} is not a whole number of values`, { offset });
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at < bytes.length; at += width) {
        values.push(width === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true));
      }
      return;
    }
    let at = 0;
    while (at < bytes.length) {
      let value = 0;
      let shift = 0;
      for (;;) {
        if (at >= bytes.length || shift > 63) {
          this.problems.stop("malformed", `packed ${definition.name} ends inside a varint`, { offset: offset + at });
        }
        const byte = bytes[at++] ?? 0;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte < 0x80) break;
      }
      values.push(signed(value, definition.type));
    }
  }

  /** One packed run or unpacked element of a repeated tensor field, in file order. */
  private segment(target: Decoded, definition: FieldDefinition, offset: number, length: number): void {
    this.retain(SEGMENT_COST, offset);
    target[definition.name] ??= [];
    (target[definition.name] as Payload[]).push({ offset, length });
  }

  /** Past the end-group tag that closes group `number` (protobuf's recursion limit of 100 applies). */
  private async skipGroup(
    position: number,
    end: number,
    number: number,
    where: string,
    depth: number,
  ): Promise<number> {
    if (depth > 100)
      this.problems.stop("limit-exceeded", `${where}: groups nested deeper than 100`, { offset: position });
    let at = position;
    for (;;) {
      if (at >= end) this.overrun(where, at + 1, end, position, "a group");
      if (++this.fields % 1024 === 0) this.context.checkDeadline();
      if (!this.window.has(at, 24)) await this.window.load(at, 24);
      const [tag, afterTag] = this.varint(at, end, where);
      const wire = tag % 8;
      const inner = Math.floor(tag / 8);
      if (inner === 0) this.problems.stop("malformed", `${where}: field number 0 in a group`, { offset: at });
      if (wire === 4) {
        if (inner !== number)
          this.problems.stop("malformed", `${where}: group ${number} closed as ${inner}`, { offset: at });
        return afterTag;
      }
      if (wire === 3) at = await this.skipGroup(afterTag, end, inner, where, depth + 1);
      else if (wire === 0) at = this.varint(afterTag, end, where)[1];
      else if (wire === 1 || wire === 5) at = afterTag + (wire === 1 ? 8 : 4);
      else if (wire === 2) {
        const [length, payloadStart] = this.varint(afterTag, end, where);
        at = payloadStart + length;
      } else this.problems.stop("malformed", `${where}: wire type ${wire} in a group`, { offset: at });
      if (at > end) this.overrun(where, at, end, position, "a group");
    }
  }

  /** A singular scalar: the last value wins as in protobuf; earlier values of deciding fields are kept. */
  private storeScalar(type: MessageType, target: Decoded, definition: FieldDefinition, value: unknown, offset: number) {
    const key = `${type.name}.${definition.name}`;
    if (!definition.repeated && DECIDING_SCALARS.has(key)) {
      const previous = target[definition.name];
      if (previous !== undefined && previous !== value) {
        target[EARLIER] ??= {};
        const earlier = target[EARLIER] as Record<string, unknown[]>;
        earlier[definition.name] ??= [];
        earlier[definition.name]?.push(previous);
        this.differential(
          `${key} is written twice (${describe(previous)} then ${describe(value)}): protobuf keeps the last, a first-wins reader the first`,
          offset,
        );
      }
    }
    store(target, definition, value);
  }

  private differential(message: string, offset: number): void {
    if (this.differentials.has(message)) return;
    this.differentials.add(message);
    this.problems.add("parser-differential", message, { offset }, false);
  }

  private varint(position: number, end: number, where: string): [number, number] {
    let value = 0;
    let shift = 0;
    let at = position;
    for (;;) {
      if (at >= end) this.overrun(where, at + 1, end, position, "a varint");
      if (shift > 63) this.problems.stop("malformed", `${where}: varint longer than 10 bytes`, { offset: position });
      const byte = this.window.at(at++);
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return [value, at];
    }
  }

  private fixed(position: number, wire: number): number {
    const bytes = this.window.view(position, wire === 1 ? 8 : 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return wire === 1 ? view.getFloat64(0, true) : view.getFloat32(0, true);
  }

  private overrun(where: string, needed: number, end: number, offset: number, what = "its bytes"): never {
    if (needed > this.window.size) {
      this.problems.stop(
        "truncated",
        `${where}: the file ends before ${what} (needs ${needed} bytes, the file has ${this.window.size})`,
        { offset },
      );
    }
    this.problems.stop("malformed", `${where}: ${what} run past the enclosing message (ends at ${end})`, { offset });
  }

  private mismatch(type: MessageType, definition: FieldDefinition, wire: number, offset: number): void {
    // protobuf keeps a field with the wrong wire type as an unknown field: legal, but no writer does it.
    const key = `${type.name}.${definition.name}`;
    if (this.mismatches.has(key)) return;
    this.mismatches.add(key);
    this.problems.add(
      "unusual-structure",
      `${key} arrives with wire type ${wire}; ignored as protobuf does`,
      { offset },
      false,
    );
  }

  private retain(bytes: number, offset: number): void {
    this.retained += bytes;
    if (this.retained > this.limits.maxRetained) {
      this.problems.stop("limit-exceeded", `more than ${this.limits.maxRetained} bytes of strings and values`, {
        offset,
      });
    }
  }
}

function isStreamed(definition: FieldDefinition): boolean {
  const resolved = definition.resolvedType;
  return resolved !== null && "fieldsById" in resolved && STREAMED.has(resolved.name);
}

function isDecoded(value: unknown): value is Decoded {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** protobuf's merge for a small message decoded whole: repeated fields concatenate, the rest is replaced. */
function mergeInto(target: Decoded, value: Record<string, unknown>): void {
  for (const [key, item] of Object.entries(value)) {
    const existing = target[key];
    target[key] = Array.isArray(existing) && Array.isArray(item) ? [...existing, ...item] : item;
  }
}

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function store(target: Decoded, definition: FieldDefinition, value: unknown): void {
  if (!definition.repeated) {
    target[definition.name] = value;
    return;
  }
  target[definition.name] ??= [];
  (target[definition.name] as unknown[]).push(value);
}

/** int64/int32 varints carry negative values as 64-bit two's complement. */
function signed(value: number, type: string): number | boolean {
  if (type === "bool") return value !== 0;
  if ((type === "int64" || type === "int32") && value >= TWO_POW_63) return value - TWO_POW_64;
  return value;
}

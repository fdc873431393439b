import type { SniffInput } from "@modelaudit/core";

/** ModelProto fields: number → wire type, and whether the value is text we can check. */
const MODEL_FIELDS = new Map<number, { wire: number; text?: boolean }>([
  [1, { wire: 0 }], // ir_version
  [2, { wire: 2, text: true }], // producer_name
  [3, { wire: 2, text: true }], // producer_version
  [4, { wire: 2, text: true }], // domain
  [5, { wire: 0 }], // model_version
  [6, { wire: 2, text: true }], // doc_string
  [7, { wire: 2 }], // graph
  [8, { wire: 2 }], // opset_import
  [14, { wire: 2 }], // metadata_props
  [20, { wire: 2 }], // training_info
  [25, { wire: 2 }], // functions
]);

/** IR versions released so far run 3 (ONNX 1.0) to 11; leave room for a few more. */
const MAX_IR_VERSION = 32;

/**
 * A cheap field walk over the head: an ONNX file is a ModelProto whose writers put ir_version
 * (field 1) first. A SavedModel also starts with field 1 = 1 followed by a binary field 2, and a
 * GraphDef or bare TensorProto/GraphProto starts differently, so the walk checks what follows.
 */
export function sniffOnnx(input: SniffInput): boolean {
  const { head, size } = input;
  if (head[0] !== 0x08) return false;
  const first = readVarint(head, 1);
  if (!first) return false;
  const irVersion = first.value;
  if (irVersion < 1 || irVersion > MAX_IR_VERSION) return false;
  let position = first.next;
  let supporting = 0;
  let clean = true;
  const seen = new Set<number>([1]);
  while (position < head.length && position < size) {
    const tag = readVarint(head, position);
    if (!tag) break; // the head ends inside a tag: nothing wrong seen so far
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const expected = MODEL_FIELDS.get(number);
    if (!expected || expected.wire !== wire || (seen.has(number) && number <= 6)) {
      clean = false;
      break;
    }
    seen.add(number);
    if (wire === 0) {
      const value = readVarint(head, tag.next);
      if (!value) break;
      position = value.next;
      continue;
    }
    const length = readVarint(head, tag.next);
    if (!length) break;
    const payloadEnd = length.next + length.value;
    if (expected.text) {
      const shown = head.subarray(length.next, Math.min(payloadEnd, head.length));
      if (!looksLikeText(shown)) {
        clean = false;
        break;
      }
    } else if (length.next < head.length && !startsLikeMessage(head, length.next, length.value)) {
      clean = false;
      break;
    }
    supporting++;
    if (number === 7 || payloadEnd > size) break; // the graph (or a truncated field): enough evidence
    position = payloadEnd;
  }
  if (input.extension === ".onnx") return irVersion >= 3 || supporting > 0;
  return clean && supporting > 0 && irVersion >= 3;
}

function readVarint(bytes: Uint8Array, position: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let at = position; at < bytes.length && shift <= 63; at++) {
    const byte = bytes[at] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return { value, next: at + 1 };
  }
  return undefined;
}

/** UTF-8 text without control characters other than tab and line breaks. */
function looksLikeText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
    if (byte === 0x7f) return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** An embedded message starts with a tag whose field number is plausible and wire type is valid. */
function startsLikeMessage(bytes: Uint8Array, position: number, length: number): boolean {
  if (length === 0) return true;
  const tag = readVarint(bytes, position);
  if (!tag) return true;
  const wire = tag.value % 8;
  const number = Math.floor(tag.value / 8);
  return number >= 1 && number <= 64 && (wire === 0 || wire === 1 || wire === 2 || wire === 5);
}

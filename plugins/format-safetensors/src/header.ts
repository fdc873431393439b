import type { AnomalyCode, Source } from "@modelaudit/core";
import { dtypeBits } from "./dtypes.js";
import { LENGTH_FIELD } from "./header-start.js";
import { JsonSyntaxError, type JsonValue, nonNegativeInteger, scanJson } from "./json-scan.js";

/** The reference loader refuses headers above this many bytes (`MAX_HEADER_SIZE`, 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface HeaderProblem {
  code: AnomalyCode;
  message: string;
  /** Tensor or metadata key the problem is about. */
  path?: string;
  /** Byte offset in the file, when known. */
  offset?: number;
  /** True when the reference loader would refuse the file for this. */
  rejects: boolean;
}

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Offsets relative to the start of the data section. */
  begin: bigint;
  end: bigint;
}

export interface ParsedHeader {
  /** N, the JSON header's length in bytes. */
  headerLength: number;
  /** Tensors whose entries are well-formed, in header order. */
  tensors: TensorEntry[];
  /** Every tensor key, well-formed or not, in header order. */
  tensorNames: string[];
  metadata: { name: string; value: string }[];
  problems: HeaderProblem[];
}

export type HeaderReadResult = { ok: true; header: ParsedHeader } | { ok: false; problem: HeaderProblem };

/**
 * Reads and validates the header of a safetensors source, never its tensor data: the length
 * field, the JSON (strictly, duplicates reported), every tensor entry, and the layout of the data
 * section (sorted, no gaps, no overlaps, covering it exactly).
 */
export async function readHeader(source: Source, maxInMemoryBytes: number): Promise<HeaderReadResult> {
  if (source.size < LENGTH_FIELD) {
    return fail("truncated", `the file is ${source.size} bytes, shorter than the 8-byte header length field`, 0);
  }
  const lengthBytes = await source.read(0, LENGTH_FIELD);
  const declared = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, LENGTH_FIELD).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    return fail(
      "limit-exceeded",
      `header length ${declared} is over the loaders' limit of ${MAX_HEADER_BYTES} bytes`,
      0,
    );
  }
  const headerLength = Number(declared);
  if (LENGTH_FIELD + headerLength > source.size) {
    return fail(
      "truncated",
      `header length ${headerLength} runs past the end of the file (${source.size - LENGTH_FIELD} bytes follow the length field)`,
      0,
    );
  }
  if (headerLength > maxInMemoryBytes) {
    return fail(
      "limit-exceeded",
      `header of ${headerLength} bytes is over the in-memory limit of ${maxInMemoryBytes}`,
      0,
    );
  }
  const bytes = await source.read(LENGTH_FIELD, headerLength);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail("malformed", "the header is not valid UTF-8", LENGTH_FIELD);
  }
  const dataSize = BigInt(source.size - LENGTH_FIELD - headerLength);
  return { ok: true, header: validateHeaderText(text, headerLength, dataSize) };
}

function fail(code: AnomalyCode, message: string, offset: number): HeaderReadResult {
  return { ok: false, problem: { code, message, offset, rejects: true } };
}

/** Validates header JSON text against a data section of `dataSize` bytes. */
export function validateHeaderText(text: string, headerLength: number, dataSize: bigint): ParsedHeader {
  const header: ParsedHeader = { headerLength, tensors: [], tensorNames: [], metadata: [], problems: [] };
  const problem = (code: AnomalyCode, message: string, path?: string, rejects = true) => {
    const entry: HeaderProblem = { code, message, rejects };
    if (path !== undefined) entry.path = path;
    header.problems.push(entry);
  };
  let root: JsonValue;
  try {
    const scanned = scanJson(text);
    root = scanned.value;
    reportDuplicateKeys(scanned.duplicates, problem);
  } catch (error) {
    problem(
      "malformed",
      `the header is not valid JSON: ${error instanceof JsonSyntaxError ? error.message : String(error)}`,
    );
    return header;
  }
  if (root.type !== "object") {
    problem("malformed", "the header is not a JSON object");
    return header;
  }

  // Every entry whose offsets parse takes part in the layout check, even if its dtype or shape is wrong.
  const ranges: ByteRange[] = [];
  for (const { key, value } of root.entries) {
    if (key === "__metadata__") {
      readMetadata(value, header, problem);
      continue;
    }
    header.tensorNames.push(key);
    const { tensor, range } = readTensorEntry(key, value, problem);
    if (tensor) header.tensors.push(tensor);
    if (range) ranges.push(range);
  }
  checkLayout(ranges, dataSize, problem);
  return header;
}

type ProblemSink = (code: AnomalyCode, message: string, path?: string, rejects?: boolean) => void;

/** Each key a JSON document holds twice (the header's or the index's): loaders disagree on which copy wins. */
export function reportDuplicateKeys(duplicates: readonly { key: string; path: string }[], problem: ProblemSink): void {
  for (const duplicate of duplicates) {
    problem(
      "header-mismatch",
      `duplicate key ${JSON.stringify(duplicate.key)} in ${duplicate.path}: loaders disagree on which copy wins`,
      duplicate.key,
    );
  }
}

function readMetadata(value: JsonValue, header: ParsedHeader, problem: ProblemSink): void {
  if (value.type === "literal" && value.value === null) return;
  if (value.type !== "object") {
    problem("malformed", "__metadata__ is not an object of strings", "__metadata__");
    return;
  }
  for (const entry of value.entries) {
    if (entry.value.type !== "string") {
      problem(
        "malformed",
        `__metadata__.${entry.key} is a ${entry.value.type}, not a string`,
        `__metadata__.${entry.key}`,
      );
      continue;
    }
    header.metadata.push({ name: entry.key, value: entry.value.value });
  }
}

interface ByteRange {
  name: string;
  begin: bigint;
  end: bigint;
}

function readTensorEntry(
  name: string,
  value: JsonValue,
  problem: ProblemSink,
): { tensor: TensorEntry | null; range: ByteRange | null } {
  if (value.type !== "object") {
    problem("malformed", `tensor ${JSON.stringify(name)} is not an object`, name);
    return { tensor: null, range: null };
  }
  const entry = readTensorFields(name, value.entries, problem);
  const range =
    entry.offsets && entry.offsets[1] >= entry.offsets[0]
      ? { name, begin: entry.offsets[0], end: entry.offsets[1] }
      : null;
  return { tensor: entry.tensor, range };
}

function readTensorFields(
  name: string,
  fields: { key: string; value: JsonValue }[],
  problem: ProblemSink,
): { tensor: TensorEntry | null; offsets: [bigint, bigint] | undefined } {
  let dtype: string | undefined;
  let shape: number[] | undefined;
  let offsets: [bigint, bigint] | undefined;
  let valid = true;
  for (const field of fields) {
    if (field.key === "dtype") {
      if (field.value.type !== "string") {
        problem("malformed", `tensor ${JSON.stringify(name)}: dtype is not a string`, name);
        valid = false;
      } else if (dtypeBits(field.value.value) === undefined) {
        problem(
          "malformed",
          `tensor ${JSON.stringify(name)}: unknown dtype ${JSON.stringify(field.value.value)}`,
          name,
        );
        valid = false;
      } else {
        dtype = field.value.value;
      }
    } else if (field.key === "shape") {
      shape = readShape(name, field.value, problem);
      if (!shape) valid = false;
    } else if (field.key === "data_offsets") {
      offsets = readOffsets(name, field.value, problem);
      if (!offsets) valid = false;
    } else {
      // The reference loader ignores unknown fields; a reader that honours them would see another tensor.
      problem(
        "unusual-structure",
        `tensor ${JSON.stringify(name)} has an unknown field ${JSON.stringify(field.key)}`,
        name,
        false,
      );
    }
  }
  if (!valid) return { tensor: null, offsets };
  if (dtype === undefined || shape === undefined || offsets === undefined) {
    const missing = [
      dtype === undefined && "dtype",
      shape === undefined && "shape",
      offsets === undefined && "data_offsets",
    ]
      .filter(Boolean)
      .join(", ");
    problem("malformed", `tensor ${JSON.stringify(name)} lacks ${missing}`, name);
    return { tensor: null, offsets };
  }
  const [begin, end] = offsets;
  if (end < begin) {
    problem("malformed", `tensor ${JSON.stringify(name)}: data_offsets end ${end} is before begin ${begin}`, name);
    return { tensor: null, offsets };
  }
  const bits = shape.reduce((product, dimension) => product * BigInt(dimension), 1n) * BigInt(dtypeBits(dtype) ?? 0);
  if (bits % 8n !== 0n) {
    problem(
      "malformed",
      `tensor ${JSON.stringify(name)}: ${dtype} × ${JSON.stringify(shape)} does not fill whole bytes`,
      name,
    );
    return { tensor: null, offsets };
  }
  if (bits / 8n !== end - begin) {
    problem(
      "malformed",
      `tensor ${JSON.stringify(name)}: ${dtype} × ${JSON.stringify(shape)} needs ${bits / 8n} bytes but data_offsets span ${end - begin}`,
      name,
    );
    return { tensor: null, offsets };
  }
  return { tensor: { name, dtype, shape, begin, end }, offsets };
}

function readShape(name: string, value: JsonValue, problem: ProblemSink): number[] | undefined {
  if (value.type !== "array") {
    problem("malformed", `tensor ${JSON.stringify(name)}: shape is not an array`, name);
    return undefined;
  }
  const shape: number[] = [];
  for (const item of value.items) {
    const dimension = nonNegativeInteger(item);
    if (dimension === null || dimension > BigInt(Number.MAX_SAFE_INTEGER)) {
      problem(
        "malformed",
        `tensor ${JSON.stringify(name)}: shape holds something other than a non-negative integer`,
        name,
      );
      return undefined;
    }
    shape.push(Number(dimension));
  }
  return shape;
}

function readOffsets(name: string, value: JsonValue, problem: ProblemSink): [bigint, bigint] | undefined {
  if (value.type !== "array" || value.items.length !== 2) {
    problem("malformed", `tensor ${JSON.stringify(name)}: data_offsets is not a pair`, name);
    return undefined;
  }
  const begin = nonNegativeInteger(value.items[0]!);
  const end = nonNegativeInteger(value.items[1]!);
  if (begin === null || end === null) {
    problem("malformed", `tensor ${JSON.stringify(name)}: data_offsets are not non-negative integers`, name);
    return undefined;
  }
  return [begin, end];
}

/** Sorted by offsets, the ranges must tile the data section exactly, as the reference loader requires. */
function checkLayout(ranges: ByteRange[], dataSize: bigint, problem: ProblemSink): void {
  const sorted = [...ranges].sort((left, right) =>
    left.begin === right.begin ? compare(left.end, right.end) : compare(left.begin, right.begin),
  );
  let cursor = 0n;
  let previous: ByteRange | undefined;
  for (const tensor of sorted) {
    if (tensor.begin > cursor) {
      problem(
        "malformed",
        `gap of ${tensor.begin - cursor} bytes before tensor ${JSON.stringify(tensor.name)}`,
        tensor.name,
      );
    } else if (tensor.begin < cursor) {
      problem(
        "malformed",
        `tensor ${JSON.stringify(tensor.name)} overlaps ${JSON.stringify(previous?.name ?? "")} (starts at ${tensor.begin}, previous ends at ${cursor})`,
        tensor.name,
      );
    }
    if (tensor.end > dataSize) {
      problem(
        "malformed",
        `tensor ${JSON.stringify(tensor.name)} ends at ${tensor.end}, past the ${dataSize}-byte data section`,
        tensor.name,
      );
    }
    if (tensor.end > cursor) cursor = tensor.end;
    previous = tensor;
  }
  if (cursor < dataSize) {
    problem("trailing-data", `${dataSize - cursor} bytes after the last tensor are not covered by the header`);
  }
}

function compare(left: bigint, right: bigint): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

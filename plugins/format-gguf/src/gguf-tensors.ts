import type { ParseContext } from "@modelaudit/core";
import type { ProblemList } from "@modelaudit/core/format";
import type { ByteCursor } from "./byte-cursor.js";
import { type GgmlType, ggmlType } from "./ggml-types.js";
import type { MetadataReader } from "./gguf-metadata.js";

/** llama.cpp refuses names of GGML_MAX_NAME (64) bytes or more and more than GGML_MAX_DIMS (4) dims. */
const MAX_NAME_BYTES = 63;
const MAX_DIMS = 4;
/** Past this the dims cannot be real, and every later field would be read at a guessed offset. */
const HARD_MAX_DIMS = 8;

export interface TensorInfo {
  name: string;
  dims: bigint[];
  typeId: number;
  /** Undefined when the type id is unknown. */
  type: GgmlType | undefined;
  /** Relative to the start of the data section. */
  offset: bigint;
  /** Undefined when the type is unknown or the dims do not fit its blocks. */
  byteLength: bigint | undefined;
  /** Byte offset of the info record in the file. */
  infoOffset: number;
}

/** Reads `count` tensor infos (name, dims, type, offset). */
export async function readTensorInfos(
  cursor: ByteCursor,
  context: ParseContext,
  strings: MetadataReader,
  problems: ProblemList,
  count: bigint,
  lengthBytes: 4 | 8,
): Promise<TensorInfo[]> {
  const tensors: TensorInfo[] = [];
  const names = new Set<string>();
  for (let index = 0n; index < count; index++) {
    if (index % 256n === 0n) context.checkDeadline();
    const infoOffset = cursor.position;
    const name = (await strings.readString(`tensor info #${index} name`)) ?? `<oversized name #${index}>`;
    const where = { offset: infoOffset, path: name };
    if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) {
      problems.add(
        "malformed",
        `tensor name ${JSON.stringify(name.slice(0, 80))} is longer than ${MAX_NAME_BYTES} bytes`,
        where,
      );
    }
    if (names.has(name)) problems.add("header-mismatch", `duplicate tensor name ${JSON.stringify(name)}`, where);
    names.add(name);
    if (!(await cursor.need(4))) problems.stop("truncated", `the file ends inside tensor ${name}`, where);
    const dimensionCount = cursor.u32();
    if (dimensionCount > HARD_MAX_DIMS) {
      problems.stop("malformed", `tensor ${JSON.stringify(name)} claims ${dimensionCount} dimensions`, where);
    }
    if (dimensionCount > MAX_DIMS) {
      problems.add(
        "malformed",
        `tensor ${JSON.stringify(name)} has ${dimensionCount} dimensions, over ggml's ${MAX_DIMS}`,
        where,
      );
    }
    if (!(await cursor.need(dimensionCount * lengthBytes + 4 + 8))) {
      problems.stop("truncated", `the file ends inside tensor ${name}`, where);
    }
    const dims: bigint[] = [];
    for (let dimension = 0; dimension < dimensionCount; dimension++) {
      dims.push(lengthBytes === 4 ? BigInt(cursor.u32()) : cursor.i64());
    }
    const typeId = cursor.u32();
    const offset = cursor.u64();
    const type = ggmlType(typeId);
    let byteLength: bigint | undefined;
    if (dims.some((value) => value < 0n)) {
      problems.add("malformed", `tensor ${JSON.stringify(name)} has a negative dimension`, where);
    } else if (!type) {
      problems.add("malformed", `tensor ${JSON.stringify(name)} has unknown ggml type ${typeId}`, where);
    } else if ((dims[0] ?? 1n) % BigInt(type.blockSize) !== 0n) {
      problems.add(
        "malformed",
        `tensor ${JSON.stringify(name)}: first dimension ${dims[0]} is not a multiple of the ${type.name} block size ${type.blockSize}`,
        where,
      );
    } else {
      const elements = dims.reduce((product, value) => product * value, 1n);
      byteLength = (elements / BigInt(type.blockSize)) * BigInt(type.typeSize);
    }
    tensors.push({ name, dims, typeId, type, offset, byteLength, infoOffset });
  }
  return tensors;
}

/**
 * Checks the data section: offsets aligned, laid out in order as llama.cpp requires (each tensor
 * padded to the alignment), inside the file, not overlapping; bytes past the last tensor noted.
 */
export function checkLayout(
  tensors: readonly TensorInfo[],
  dataStart: bigint,
  fileSize: bigint,
  alignment: bigint,
  problems: ProblemList,
): void {
  let expected = 0n;
  let sequential = true;
  let misaligned = false;
  for (const tensor of tensors) {
    const where = { offset: tensor.infoOffset, path: tensor.name };
    if (tensor.offset % alignment !== 0n) {
      misaligned = true;
      problems.add(
        "malformed",
        `tensor ${JSON.stringify(tensor.name)} offset ${tensor.offset} is not aligned to ${alignment}`,
        where,
      );
    }
    if (tensor.byteLength === undefined) {
      sequential = false;
      continue;
    }
    if (dataStart + tensor.offset + tensor.byteLength > fileSize) {
      problems.add(
        "truncated",
        `tensor ${JSON.stringify(tensor.name)} (${tensor.byteLength} bytes at data offset ${tensor.offset}) runs past the end of the file`,
        where,
      );
    }
    if (sequential && tensor.offset !== expected) sequential = false;
    expected = tensor.offset + padTo(tensor.byteLength, alignment);
  }

  const sized = tensors.filter((tensor) => tensor.byteLength !== undefined);
  const sorted = [...sized].sort((left, right) =>
    left.offset < right.offset ? -1 : left.offset > right.offset ? 1 : 0,
  );
  let overlapped = false;
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (current.offset < previous.offset + previous.byteLength!) {
      overlapped = true;
      problems.add("malformed", `tensor ${JSON.stringify(current.name)} overlaps ${JSON.stringify(previous.name)}`, {
        offset: current.infoOffset,
        path: current.name,
      });
    }
  }
  if (!sequential && !overlapped && !misaligned && sized.length === tensors.length) {
    problems.add(
      "malformed",
      "tensor offsets do not follow the declared order with alignment padding, as llama.cpp requires",
    );
  }
  if (sized.length === tensors.length && sorted.length > 0) {
    const last = sorted[sorted.length - 1]!;
    const end = dataStart + last.offset + padTo(last.byteLength!, alignment);
    if (end < fileSize) {
      problems.add(
        "trailing-data",
        `${fileSize - end} bytes after the last tensor's data`,
        { offset: Number(end) },
        false,
      );
    }
  }
}

export function padTo(value: bigint, alignment: bigint): bigint {
  return ((value + alignment - 1n) / alignment) * alignment;
}

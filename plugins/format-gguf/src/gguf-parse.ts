import { type ByteOrder, dataByteLength, FORMATS, type ParseContext, type TensorFact } from "@modelaudit/core";
import { ProblemList, reportProblems, StopParsing } from "@modelaudit/core/format";
import { ByteCursor } from "./byte-cursor.js";
import { MetadataReader } from "./gguf-metadata.js";
import { checkLayout, padTo, readTensorInfos, type TensorInfo } from "./gguf-tensors.js";

const MAX_STRING = 16 * 1024 * 1024;
/** Smallest possible key/value: an empty key's length, the type, a one-byte value. */
const MIN_KV_BYTES = { 4: 4 + 4 + 1, 8: 8 + 4 + 1 } as const;
/** Smallest possible tensor info: an empty name's length, n_dims, the type, the offset. */
const MIN_TENSOR_INFO_BYTES = { 4: 4 + 4 + 4 + 8, 8: 8 + 4 + 4 + 8 } as const;

/** The parse of {@link ggufHandler}, imported on the first GGUF file. */
export async function parseGgufFile(context: ParseContext): Promise<void> {
  const problems = new ProblemList();
  const unread: string[] = [];
  try {
    await parseGguf(context, problems, unread);
  } catch (error) {
    if (!(error instanceof StopParsing)) throw error;
    problems.items.push(error.problem);
  }
  reportProblems(context, problems.items, "GGUF file rejected");
  if (unread.length > 0) {
    const more = unread.length > 3 ? ` and ${unread.length - 3} more` : "";
    const names = unread.slice(0, 3).map((name) => JSON.stringify(name));
    context.inconclusive(`GGUF tensor data not located, not read: ${names.join(", ")}${more}`);
  }
}

async function parseGguf(context: ParseContext, problems: ProblemList, unread: string[]): Promise<void> {
  const { source } = context;
  const cursor = new ByteCursor(source, true);
  if (!(await cursor.need(8))) problems.stop("truncated", "the file ends inside the GGUF header", { offset: 0 });
  cursor.skip(4);
  const rawVersion = cursor.u32();
  // gguf-py writes the magic in file order and everything else in the file's byte order: a version
  // that only makes sense byte-swapped marks a big-endian file.
  const swapped =
    ((rawVersion & 0xff) << 24) | ((rawVersion & 0xff00) << 8) | ((rawVersion >>> 8) & 0xff00) | (rawVersion >>> 24);
  let version = rawVersion;
  if (!(rawVersion >= 1 && rawVersion <= 3) && swapped >>> 0 >= 1 && swapped >>> 0 <= 3) {
    cursor.littleEndian = false;
    version = swapped >>> 0;
    context.addFormat(FORMATS.ggufBigEndian);
  }
  if (version < 1 || version > 3) problems.stop("malformed", `unknown GGUF version ${rawVersion}`, { offset: 4 });
  const lengthBytes: 4 | 8 = version === 1 ? 4 : 8;

  if (!(await cursor.need(2 * lengthBytes)))
    problems.stop("truncated", "the file ends inside the GGUF header", { offset: 8 });
  const tensorCount = lengthBytes === 4 ? BigInt(cursor.u32()) : cursor.u64();
  const kvCount = lengthBytes === 4 ? BigInt(cursor.u32()) : cursor.u64();
  // Counts are checked against the bytes that exist before any loop or allocation.
  const remaining = BigInt(cursor.remaining);
  if (kvCount * BigInt(MIN_KV_BYTES[lengthBytes]) > remaining) {
    problems.stop("malformed", `metadata count ${kvCount} cannot fit in the ${remaining} bytes left`, {
      offset: 8 + lengthBytes,
    });
  }
  if (
    kvCount * BigInt(MIN_KV_BYTES[lengthBytes]) + tensorCount * BigInt(MIN_TENSOR_INFO_BYTES[lengthBytes]) >
    remaining
  ) {
    problems.stop("malformed", `tensor count ${tensorCount} cannot fit in the ${remaining} bytes left`, { offset: 8 });
  }

  const maxString = Math.min(MAX_STRING, context.limits.maxInMemoryBytes);
  const metadata = new MetadataReader(cursor, context, problems, lengthBytes, maxString);
  const { alignment } = await metadata.read(kvCount);
  const tensors = await readTensorInfos(cursor, context, metadata, problems, tensorCount, lengthBytes);
  const dataStart = padTo(BigInt(cursor.position), BigInt(alignment));
  checkLayout(tensors, dataStart, BigInt(source.size), BigInt(alignment), problems);
  const byteOrder: ByteOrder = cursor.littleEndian ? "little" : "big";
  for (const tensor of tensors) {
    if (!emitTensor(context, tensor, dataStart, byteOrder, problems)) unread.push(tensor.name);
  }
}

/**
 * The tensor as core declares it: ggml's type name and core's dtype (unknown ids are opaque), the
 * shape row-major like every other format (GGUF lists ne[0], the fastest-varying dimension and the
 * row length, first; gguf-py reshapes with the dims reversed), and the absolute range of its
 * data when that lies inside the file and matches dtype × shape. A range that does not is already an
 * anomaly from the layout check; the tensor then has no range (false: the caller marks it unread).
 */
function emitTensor(
  context: ParseContext,
  tensor: TensorInfo,
  dataStart: bigint,
  byteOrder: ByteOrder,
  problems: ProblemList,
): boolean {
  const safe = (value: bigint) => value <= BigInt(Number.MAX_SAFE_INTEGER);
  const fact: TensorFact = {
    kind: "tensor",
    name: tensor.name,
    dtype: tensor.type?.dtype ?? "opaque",
    formatDtype: tensor.type?.name ?? `ggml-type-${tensor.typeId}`,
    shape: tensor.dims.map((value) => (safe(value) && value >= 0n ? Number(value) : -1)).reverse(),
    byteOrder,
    location: { path: tensor.name, offset: tensor.infoOffset },
  };
  const where = { offset: tensor.infoOffset, path: tensor.name };
  const start = dataStart + tensor.offset;
  const length = tensor.byteLength;
  // An unknown size (type or dims) or a range past the end already drew an anomaly.
  if (length !== undefined && safe(start + length) && start + length <= BigInt(context.source.size)) {
    const expected = dataByteLength(fact.dtype, fact.shape);
    if (fact.dtype !== "opaque" && expected !== Number(length)) {
      problems.add(
        "malformed",
        `tensor ${JSON.stringify(tensor.name)}: ${fact.formatDtype} × ${JSON.stringify(fact.shape)} is ${expected ?? "not a whole number of blocks"} bytes, not ${length}`,
        where,
      );
    } else {
      fact.data = { offset: Number(start), length: Number(length) };
    }
  }
  context.emit(fact);
  // The name is free text the file carries, judged like any other string.
  context.emit({ kind: "text", text: tensor.name, key: "tensor.name", role: "name", location: where });
  return fact.data !== undefined;
}

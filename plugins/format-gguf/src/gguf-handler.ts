import type { FormatHandler, ParseContext, SniffInput, TensorFact } from "@modelaudit/core";
import { ProblemList, reportProblems, StopParsing } from "@modelaudit/core";
import { ByteCursor } from "./byte-cursor.js";
import { MetadataReader } from "./gguf-metadata.js";
import { checkLayout, padTo, readTensorInfos, type TensorInfo } from "./gguf-tensors.js";

const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
const MAX_STRING = 16 * 1024 * 1024;
/** Smallest possible key/value: an empty key's length, the type, a one-byte value. */
const MIN_KV_BYTES = { 4: 4 + 4 + 1, 8: 8 + 4 + 1 } as const;
/** Smallest possible tensor info: an empty name's length, n_dims, the type, the offset. */
const MIN_TENSOR_INFO_BYTES = { 4: 4 + 4 + 4 + 8, 8: 8 + 4 + 4 + 8 } as const;

/** GGUF (llama.cpp): header, metadata key/values, tensor infos, aligned tensor data. */
export const ggufHandler: FormatHandler = {
  id: "gguf",
  description: "GGUF models: metadata strings, chat templates and tensor layout",
  sniff(input: SniffInput): boolean {
    return MAGIC.every((byte, index) => input.head[index] === byte);
  },
  async parse(context: ParseContext): Promise<void> {
    const problems = new ProblemList();
    try {
      await parseGguf(context, problems);
    } catch (error) {
      if (!(error instanceof StopParsing)) throw error;
      problems.items.push(error.problem);
    }
    reportProblems(context, problems.items, "GGUF file rejected");
  },
};

async function parseGguf(context: ParseContext, problems: ProblemList): Promise<void> {
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
    context.addFormat("gguf-big-endian");
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
  for (const tensor of tensors) emitTensor(context, tensor, dataStart);
}

function emitTensor(context: ParseContext, tensor: TensorInfo, dataStart: bigint): void {
  const safe = (value: bigint) => value <= BigInt(Number.MAX_SAFE_INTEGER);
  const fact: TensorFact = {
    kind: "tensor",
    name: tensor.name,
    dtype: tensor.typeName ?? `ggml-type-${tensor.typeId}`,
    // GGUF order: ne[0], the fastest-varying dimension, first.
    shape: tensor.dims.map((value) => (safe(value) && value >= 0n ? Number(value) : -1)),
    location: { path: tensor.name, offset: tensor.infoOffset },
  };
  if (tensor.byteLength !== undefined && safe(dataStart + tensor.offset + tensor.byteLength)) {
    fact.dataOffset = Number(dataStart + tensor.offset);
    fact.dataLength = Number(tensor.byteLength);
  }
  context.emit(fact);
}

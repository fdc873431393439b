import path from "node:path";
import { dataByteLength, dtypeFromNumpy, type ParseContext, SliceSource, type TensorFact } from "@modelaudit/core";
import { looksLikePickle } from "./looks-like-pickle.js";
import { parseNpyHeader, TruncatedHeaderError, UnsupportedDescrError } from "./npy-header.js";

/** NumPy headers are small; numpy itself refuses headers over 10 000 bytes unless told otherwise. */
const MAX_HEADER_READ = 1024 * 1024;

/** The parse of {@link numpyHandler}, imported on the first .npy file. */
export async function parseNumpy(context: ParseContext): Promise<void> {
  const source = context.source;
  const head = await source.read(0, Math.min(source.size, MAX_HEADER_READ));
  let header: ReturnType<typeof parseNpyHeader>;
  try {
    header = parseNpyHeader(head, source.size);
  } catch (error) {
    const message = `.npy header: ${error instanceof Error ? error.message : String(error)}`;
    const code = error instanceof TruncatedHeaderError ? "truncated" : "malformed";
    context.emit({ kind: "anomaly", code, message, location: { offset: 0 } });
    context.inconclusive(message);
    // NumPy may read this descr as holding objects: a pickle after the header is judged anyway.
    if (error instanceof UnsupportedDescrError) await scanObjectData(context, error.dataOffset);
    return;
  }
  const remaining = source.size - header.dataOffset;
  if (header.object) {
    if (!(await scanObjectData(context, header.dataOffset))) {
      const message = `.npy object array (${header.descr}) is not followed by a pickle at offset ${header.dataOffset}`;
      context.emit({ kind: "anomaly", code: "malformed", message, location: { offset: header.dataOffset } });
      context.inconclusive(message);
    }
    return;
  }
  const name = context.memberChain.at(-1) ?? path.basename(context.file);
  const expected = header.count === null ? null : header.count * header.itemSize;
  if (expected === null || !Number.isSafeInteger(expected)) {
    const message = `.npy shape (${header.shape.join(", ")}) is too large to be real`;
    context.emit({ kind: "anomaly", code: "limit-exceeded", message, location: { offset: 0 } });
    context.inconclusive(message);
    return;
  }
  if (expected > remaining) {
    const message = `.npy data needs ${expected} bytes (shape ${header.shape.join("×")} × ${header.itemSize}); ${remaining} remain`;
    context.emit({ kind: "anomaly", code: "truncated", message, location: { offset: header.dataOffset } });
    context.inconclusive(message);
    return;
  }
  const { dtype, byteOrder } = dtypeFromNumpy(header.descr);
  // A structured dtype's field names are free text in the header.
  if (dtype === "opaque") {
    context.emit({ kind: "text", text: header.descr, key: "descr", role: "metadata", location: { offset: 0 } });
  }
  // A Fortran-ordered array's bytes are its transpose in C order: the reversed shape.
  const shape = header.fortranOrder ? [...header.shape].reverse() : header.shape;
  const fact: TensorFact = {
    kind: "tensor",
    name,
    dtype,
    formatDtype: header.descr,
    shape,
    byteOrder,
    location: { offset: header.dataOffset },
  };
  // Opaque items (strings, structured records, datetimes) are bytes only: their length is the header's.
  if (dtype === "opaque" || dataByteLength(dtype, shape) === expected) {
    fact.data = { offset: header.dataOffset, length: expected };
    context.emit(fact);
  } else {
    const message = `.npy ${header.descr} array of shape ${shape.join("×")}: ${expected} bytes do not match its element type`;
    context.emit(fact);
    context.emit({ kind: "anomaly", code: "malformed", message, location: { offset: 0 } });
    context.inconclusive(message);
  }
  if (expected < remaining) {
    context.emit({
      kind: "anomaly",
      code: "trailing-data",
      message: `${remaining - expected} bytes after the .npy array data`,
      location: { offset: header.dataOffset + expected },
    });
  }
}

/**
 * Object arrays are stored as a pickle right after the header; the pickle handler reads it. False
 * when no pickle starts there.
 */
async function scanObjectData(context: ParseContext, dataOffset: number): Promise<boolean> {
  const source = context.source;
  const remaining = source.size - dataOffset;
  if (remaining <= 0) return false;
  const start = await source.read(dataOffset, 64 * 1024);
  if (!looksLikePickle(start, remaining > start.length, remaining)) return false;
  await context.scanChild("object-array", new SliceSource("object-array", source, dataOffset, remaining));
  return true;
}

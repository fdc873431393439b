import { hasNpyMagic } from "./npy-magic.js";
import { DescrError, descrToDtype, elementCount, type ScalarType } from "./numpy-dtype.js";
import { type Literal, LiteralError, parsePythonLiteral } from "./python-literal.js";

export interface NpyHeader {
  version: string;
  /** Offset of the array data. */
  dataOffset: number;
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Null when the element count overflows. */
  count: number | null;
  itemSize: number;
  object: boolean;
}

/** Parses the header of a .npy file; throws an Error with a clear message when it is malformed. */
export function parseNpyHeader(head: Uint8Array, size: number): NpyHeader {
  if (head.length < 10 || !hasNpyMagic(head)) throw new Error("no \\x93NUMPY magic");
  const major = head[6] as number;
  const minor = head[7] as number;
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = (head[8] as number) | ((head[9] as number) << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) throw new Error("the header length field is cut short");
    headerLength =
      ((head[8] as number) |
        ((head[9] as number) << 8) |
        ((head[10] as number) << 16) |
        ((head[11] as number) << 24)) >>>
      0;
    headerStart = 12;
  } else {
    throw new Error(`unknown .npy format version ${major}.${minor}`);
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > size)
    throw new TruncatedHeaderError(`the header declares ${headerLength} bytes; the file has ${size - headerStart}`);
  if (dataOffset > head.length) throw new Error(`header of ${headerLength} bytes is larger than this parser reads`);
  const bytes = head.subarray(headerStart, dataOffset);
  const text = major === 3 ? new TextDecoder("utf-8").decode(bytes) : String.fromCharCode(...bytes);
  let literal: Literal;
  try {
    literal = parsePythonLiteral(text);
  } catch (error) {
    throw new Error(
      `the header is not a Python dict literal: ${error instanceof LiteralError ? error.message : error}`,
    );
  }
  if (typeof literal !== "object" || literal === null || Array.isArray(literal))
    throw new Error("the header is not a dict");
  const { descr, fortran_order: fortranOrder, shape } = literal as Record<string, Literal>;
  if (typeof fortranOrder !== "boolean") throw new Error("fortran_order is missing or not a bool");
  if (!Array.isArray(shape) || shape.some((dimension) => typeof dimension !== "number")) {
    throw new Error("shape is missing or not a tuple of integers");
  }
  // numpy.lib.format requires the key (its message: "Header does not contain the correct keys").
  if (descr === undefined) throw new Error("descr is missing");
  const dimensions = shape as number[];
  let scalar: ScalarType;
  try {
    scalar = descrToDtype(descr);
  } catch (error) {
    if (!(error instanceof DescrError)) throw error;
    const shown = JSON.stringify(descr) ?? String(descr);
    if (error.refusedByNumpy) throw new Error(`numpy refuses descr ${shown}: ${error.message}`);
    throw new UnsupportedDescrError(`unsupported descr ${shown}: ${error.message}`, dataOffset);
  }
  return {
    version: `${major}.${minor}`,
    dataOffset,
    descr: typeof descr === "string" ? descr : JSON.stringify(descr),
    fortranOrder,
    shape: dimensions,
    count: elementCount(dimensions),
    itemSize: scalar.itemSize,
    object: scalar.object,
  };
}

export class TruncatedHeaderError extends Error {}

/**
 * A descr NumPy may accept that this reader does not follow: whether the data is a pickle is
 * unknown, so the caller stays inconclusive and still reads a pickle if one follows the header.
 */
export class UnsupportedDescrError extends Error {
  constructor(
    message: string,
    readonly dataOffset: number,
  ) {
    super(message);
  }
}

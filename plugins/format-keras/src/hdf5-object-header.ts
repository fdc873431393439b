import type { Source } from "@modelaudit/core";

/**
 * Reads an HDF5 object header (the file format specification, section IV.A) in TypeScript: the
 * messages describing one dataset. h5wasm gives each dataset's header address (its object
 * reference); everything after that is read here, against the bytes that exist, because libhdf5
 * offers no way to say where a dataset's elements are.
 */

/** The addressing parameters of one HDF5 file as found in `source`. */
export interface Hdf5Geometry {
  source: Source;
  /** Where the superblock sits in `source`: every HDF5 address is relative to it. */
  base: number;
  offsetSize: number;
  lengthSize: number;
}

export interface HeaderMessage {
  type: number;
  flags: number;
  /** Absolute offset of the body in the source. */
  offset: number;
  body: Uint8Array;
}

/**
 * Why a dataset's elements could not be located: bytes that break the format, a bound, bytes that
 * are not there, or a legal feature this reader does not read (`unsupported`, not an anomaly).
 */
export type Hdf5Problem = "malformed" | "limit-exceeded" | "truncated" | "unsupported";

/** A structure the reader refuses; the message names what and where, never thrown past the handler. */
export class Hdf5FormatError extends Error {
  override name = "Hdf5FormatError";
  constructor(
    message: string,
    readonly problem: Hdf5Problem = "malformed",
  ) {
    super(message);
  }
}

/** An object header chunk beyond this is not a dataset's; messages are a few hundred bytes. */
const MAX_HEADER_CHUNK = 1024 * 1024;
const MAX_CONTINUATIONS = 64;
const MAX_MESSAGES = 4096;

export const MESSAGE = {
  dataspace: 0x0001,
  datatype: 0x0003,
  fillValueOld: 0x0004,
  fillValue: 0x0005,
  externalFiles: 0x0007,
  layout: 0x0008,
  filterPipeline: 0x000b,
  continuation: 0x0010,
} as const;

/** Little-endian unsigned integer of 1-8 bytes; null for the all-ones "undefined address". */
export function readUnsigned(bytes: Uint8Array, at: number, size: number): number | null {
  if (at < 0 || at + size > bytes.length) throw new Hdf5FormatError(`field at ${at} runs past its structure`);
  let value = 0n;
  let allOnes = true;
  for (let index = size - 1; index >= 0; index--) {
    const byte = bytes[at + index]!;
    if (byte !== 0xff) allOnes = false;
    value = (value << 8n) | BigInt(byte);
  }
  if (allOnes && size > 1) return null;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Hdf5FormatError(`value ${value} at ${at} is out of range`);
  return Number(value);
}

/** A defined integer field (a length, a count): the all-ones value is as impossible as any huge one. */
export function readLength(bytes: Uint8Array, at: number, size: number): number {
  const value = readUnsigned(bytes, at, size);
  if (value === null) throw new Hdf5FormatError(`length at ${at} is all ones`);
  return value;
}

/** Reads exactly `length` bytes at HDF5 address `address`, or fails naming what was wanted. */
export async function readAt(
  geometry: Hdf5Geometry,
  address: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  const start = geometry.base + address;
  if (!Number.isSafeInteger(start) || start + length > geometry.source.size) {
    throw new Hdf5FormatError(
      `${what} at address ${address} (+${length} bytes) lies past the end of the ${geometry.source.size}-byte file`,
      "truncated",
    );
  }
  const bytes = await geometry.source.read(start, length);
  if (bytes.length !== length) throw new Hdf5FormatError(`${what} at address ${address} is cut short`, "truncated");
  return bytes;
}

/** Every message of the object header at `address`, continuation blocks included. */
export async function readObjectHeader(geometry: Hdf5Geometry, address: number): Promise<HeaderMessage[]> {
  const first = await readAt(geometry, address, 4, "object header");
  const isV2 = first[0] === 0x4f && first[1] === 0x48 && first[2] === 0x44 && first[3] === 0x52; // "OHDR"
  return isV2 ? readV2(geometry, address) : readV1(geometry, address);
}

interface Block {
  address: number;
  length: number;
}

function checkBlockLength(length: number, what: string): void {
  if (length > MAX_HEADER_CHUNK)
    throw new Hdf5FormatError(`${what} of ${length} bytes is over ${MAX_HEADER_CHUNK}`, "limit-exceeded");
}

class MessageCollector {
  readonly messages: HeaderMessage[] = [];
  readonly pending: Block[] = [];
  private readonly seen = new Set<number>();

  add(message: HeaderMessage, geometry: Hdf5Geometry): void {
    if (this.messages.length >= MAX_MESSAGES)
      throw new Hdf5FormatError(`more than ${MAX_MESSAGES} header messages`, "limit-exceeded");
    if (message.type === MESSAGE.continuation) {
      const address = readUnsigned(message.body, 0, geometry.offsetSize);
      const length = readLength(message.body, geometry.offsetSize, geometry.lengthSize);
      if (address === null) throw new Hdf5FormatError("continuation message with an undefined address");
      if (this.seen.has(address)) throw new Hdf5FormatError(`continuation block at ${address} is reached twice`);
      if (this.seen.size >= MAX_CONTINUATIONS)
        throw new Hdf5FormatError(`more than ${MAX_CONTINUATIONS} continuations`, "limit-exceeded");
      this.seen.add(address);
      checkBlockLength(length, "continuation block");
      this.pending.push({ address, length });
      return;
    }
    this.messages.push(message);
  }
}

/** Version 1: a 16-byte prefix, then 8-byte-aligned messages; continuation blocks hold bare messages. */
async function readV1(geometry: Hdf5Geometry, address: number): Promise<HeaderMessage[]> {
  const prefix = await readAt(geometry, address, 16, "object header");
  if (prefix[0] !== 1) throw new Hdf5FormatError(`object header version ${prefix[0]} at ${address}`);
  const size = readLength(prefix, 8, 4);
  checkBlockLength(size, "object header");
  const collector = new MessageCollector();
  collector.pending.push({ address: address + 16, length: size });
  for (let block = collector.pending.shift(); block; block = collector.pending.shift()) {
    const bytes = await readAt(geometry, block.address, block.length, "object header block");
    for (let at = 0; at + 8 <= bytes.length; ) {
      const type = readLength(bytes, at, 2);
      const length = readLength(bytes, at + 2, 2);
      if (at + 8 + length > bytes.length) throw new Hdf5FormatError(`header message ${type} runs past its block`);
      collector.add(
        {
          type,
          flags: bytes[at + 4]!,
          offset: geometry.base + block.address + at + 8,
          body: bytes.subarray(at + 8, at + 8 + length),
        },
        geometry,
      );
      // Bodies are padded to a multiple of 8 bytes.
      at += 8 + Math.ceil(length / 8) * 8;
    }
  }
  return collector.messages;
}

/** Version 2: "OHDR", flags, optional times and attribute bounds, a chunk-0 size, then messages and a checksum. */
async function readV2(geometry: Hdf5Geometry, address: number): Promise<HeaderMessage[]> {
  const prefix = await readAt(geometry, address, 6, "object header");
  if (prefix[4] !== 2) throw new Hdf5FormatError(`object header version ${prefix[4]} at ${address}`);
  const flags = prefix[5]!;
  let at = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const sizeBytes = 1 << (flags & 0x03);
  const sizeField = await readAt(geometry, address + at, sizeBytes, "object header");
  const size = readLength(sizeField, 0, sizeBytes);
  checkBlockLength(size, "object header");
  at += sizeBytes;
  const tracksOrder = (flags & 0x04) !== 0;
  const collector = new MessageCollector();
  const readMessages = async (start: number, length: number): Promise<void> => {
    const bytes = await readAt(geometry, start, length, "object header block");
    const headerSize = tracksOrder ? 6 : 4;
    // The block ends with a 4-byte checksum; a gap shorter than a message header may precede it.
    const end = bytes.length - 4;
    for (let offset = 0; offset + headerSize <= end; ) {
      const type = bytes[offset]!;
      const bodyLength = readLength(bytes, offset + 1, 2);
      const bodyStart = offset + headerSize;
      if (bodyStart + bodyLength > end) throw new Hdf5FormatError(`header message ${type} runs past its block`);
      collector.add(
        {
          type,
          flags: bytes[offset + 3]!,
          offset: geometry.base + start + bodyStart,
          body: bytes.subarray(bodyStart, bodyStart + bodyLength),
        },
        geometry,
      );
      offset = bodyStart + bodyLength;
    }
  };
  await readMessages(address + at, size + 4);
  for (let block = collector.pending.shift(); block; block = collector.pending.shift()) {
    const signature = await readAt(geometry, block.address, 4, "object header continuation");
    if (String.fromCharCode(...signature) !== "OCHK") {
      throw new Hdf5FormatError(`continuation block at ${block.address} has no OCHK signature`);
    }
    if (block.length < 8) throw new Hdf5FormatError(`continuation block at ${block.address} is too short`);
    await readMessages(block.address + 4, block.length - 4);
  }
  return collector.messages;
}

import { CorruptDataError, TruncatedDataError, UnsupportedFeatureError } from "./decode-errors.js";

/** Where LZ4 output goes: matches read back at most 64 KiB (an in-memory output or a `WindowedOutput`). */
export interface Lz4Output {
  /** Bytes decoded so far. */
  readonly length: number;
  append(chunk: Uint8Array): void;
  copyMatch(distance: number, count: number): void;
}

const FRAME_MAGIC = 0x184d2204;
/** How far back a match may reach (a 16-bit offset). */
export const LZ4_WINDOW = 64 * 1024;
const LEGACY_MAGIC = 0x184c2102;
/** Legacy frames (lz4 -l): blocks decode to at most 8 MiB, and compress to at most LZ4_compressBound of that. */
const LEGACY_BLOCK_OUTPUT = 8 * 1024 * 1024;
const LEGACY_BLOCK_BOUND = LEGACY_BLOCK_OUTPUT + Math.floor(LEGACY_BLOCK_OUTPUT / 255) + 16;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

function u32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw new TruncatedDataError(`lz4 data ends at ${bytes.length}, inside a field at ${at}`);
  return (
    ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) +
    (bytes[at + 3] as number) * 0x1000000
  );
}

/**
 * Decodes concatenated LZ4 frames (and skippable frames) into a bounded output. Checksums are not
 * verified (a scanner reads what a lenient loader would); every length is checked against the input.
 * Returns the offset where the last frame ended.
 */
export function decodeLz4Frames(input: Uint8Array, output: Lz4Output, tick?: () => void): number {
  let position = 0;
  let frames = 0;
  while (position < input.length) {
    const magic = u32(input, position);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: magic + 4-byte size + that many bytes of user data.
      const size = u32(input, position + 4);
      if (position + 8 + size > input.length) throw new TruncatedDataError("lz4 skippable frame runs past the data");
      position += 8 + size;
      continue;
    }
    if (magic === LEGACY_MAGIC) {
      position = decodeLegacyFrame(input, position + 4, output, tick);
      frames++;
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      if (frames > 0) break; // data after the last frame: the caller reports trailing bytes
      throw new CorruptDataError("not an LZ4 frame");
    }
    position = decodeFrame(input, position + 4, output, tick);
    frames++;
  }
  return position;
}

function decodeFrame(input: Uint8Array, start: number, output: Lz4Output, tick?: () => void): number {
  if (start + 3 > input.length) throw new TruncatedDataError("lz4 frame descriptor is cut short");
  const flags = input[start] as number;
  const blockDescriptor = input[start + 1] as number;
  if (flags >> 6 !== 1) throw new CorruptDataError(`lz4 frame version ${flags >> 6} is not 1`);
  const blockChecksum = (flags & 0x10) !== 0;
  const contentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  const dictionaryId = (flags & 0x01) !== 0;
  const blockMax = BLOCK_MAX_SIZES[(blockDescriptor >> 4) & 7];
  if (blockMax === undefined) throw new CorruptDataError("lz4 frame declares an invalid block size");
  if (dictionaryId) throw new UnsupportedFeatureError("lz4 frames with an external dictionary are not decoded");
  let position = start + 2 + (contentSize ? 8 : 0) + 1; // descriptor, optional content size, header checksum
  for (;;) {
    tick?.();
    const word = u32(input, position);
    position += 4;
    if (word === 0) break; // EndMark
    const stored = word >= 0x80000000;
    const size = stored ? word - 0x80000000 : word;
    if (size > blockMax) throw new CorruptDataError(`lz4 block of ${size} bytes exceeds the frame's ${blockMax}`);
    if (position + size > input.length) throw new TruncatedDataError("lz4 block runs past the end of the data");
    const block = input.subarray(position, position + size);
    if (stored) output.append(block);
    else decodeBlock(block, output);
    position += size + (blockChecksum ? 4 : 0);
  }
  position += contentChecksum ? 4 : 0;
  if (position > input.length) throw new TruncatedDataError("lz4 frame checksum is cut short");
  return position;
}

/**
 * A legacy frame: no header, then blocks of a 4-byte compressed size and that many bytes, each an
 * independent LZ4 block of at most 8 MiB. It ends at the end of the data or where a "size" is a frame
 * magic (the next frame), as the lz4 tool reads it. Returns where it ended.
 */
function decodeLegacyFrame(input: Uint8Array, start: number, output: Lz4Output, tick?: () => void): number {
  let position = start;
  while (position < input.length) {
    tick?.();
    const size = u32(input, position);
    if (size === LEGACY_MAGIC || size === FRAME_MAGIC || (size & 0xfffffff0) === 0x184d2a50) break;
    if (size === 0 || size > LEGACY_BLOCK_BOUND) {
      throw new CorruptDataError(`lz4 legacy block of ${size} bytes is outside 1..${LEGACY_BLOCK_BOUND}`);
    }
    position += 4;
    if (position + size > input.length) throw new TruncatedDataError("lz4 legacy block runs past the end of the data");
    const before = output.length;
    // Legacy blocks are independent: a match may not reach into the block before.
    decodeBlock(input.subarray(position, position + size), output, before);
    if (output.length - before > LEGACY_BLOCK_OUTPUT) {
      throw new CorruptDataError(`lz4 legacy block decodes past ${LEGACY_BLOCK_OUTPUT} bytes`);
    }
    position += size;
  }
  return position;
}

/** One LZ4 block: sequences of literals and back-references (offset up to 64 KiB, minimum match 4). */
function decodeBlock(block: Uint8Array, output: Lz4Output, floor = 0): void {
  let position = 0;
  while (position < block.length) {
    const token = block[position++] as number;
    let literals = token >> 4;
    if (literals === 15) {
      let more: number;
      do {
        if (position >= block.length) throw new CorruptDataError("lz4 literal length runs past its block");
        more = block[position++] as number;
        literals += more;
      } while (more === 255);
    }
    if (position + literals > block.length) throw new CorruptDataError("lz4 literals run past their block");
    output.append(block.subarray(position, position + literals));
    position += literals;
    if (position >= block.length) return; // the last sequence holds literals only
    if (position + 2 > block.length) throw new CorruptDataError("lz4 match offset is cut short");
    const distance = (block[position] as number) | ((block[position + 1] as number) << 8);
    position += 2;
    if (distance === 0 || distance > output.length - floor) {
      throw new CorruptDataError(`lz4 match reaches ${distance} bytes back with ${output.length} decoded`);
    }
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      let more: number;
      do {
        if (position >= block.length) throw new CorruptDataError("lz4 match length runs past its block");
        more = block[position++] as number;
        length += more;
      } while (more === 255);
    }
    output.copyMatch(distance, length);
  }
}

import { CorruptDataError, TruncatedDataError, UnsupportedFeatureError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { decodeLzma2, lzma2DictionarySize } from "./lzma2-decoder.js";
import { createXzFilter, FilterStage, isSupportedXzFilter, XZ_FILTER_NAMES } from "./simple-filters.js";
import { XZ_MAGIC } from "./stream-magic.js";
import { WindowedOutput } from "./windowed-output.js";

const LZMA2_FILTER = 0x21;
/** The most LZMA2 dictionary kept for a filtered block (as the stream codecs' LZMA window). */
const FILTERED_WINDOW_MAX = 128 * 1024 * 1024;
const WINDOW_ROOM = 4 * 1024 * 1024;

function checkSize(checkType: number): number {
  if (checkType === 0) return 0;
  return 4 << Math.floor((checkType - 1) / 3);
}

function readVarint(input: Uint8Array, state: { position: number }, end: number): number {
  let value = 0;
  for (let index = 0; index < 9; index++) {
    if (state.position >= end) throw new TruncatedDataError("xz number cut short");
    const byte = input[state.position++] as number;
    value += (byte & 0x7f) * 2 ** (7 * index);
    if ((byte & 0x80) === 0) return value;
  }
  throw new CorruptDataError("xz number is longer than 9 bytes");
}

function hasMagic(input: Uint8Array, position: number): boolean {
  return XZ_MAGIC.every((byte, index) => input[position + index] === byte);
}

function filterName(id: number): string {
  return XZ_FILTER_NAMES[id] ?? `0x${id.toString(16)}`;
}

/**
 * Decodes one block's data: LZMA2, then the filters before it in the chain in reverse order (the
 * block header lists them as the encoder applied them). As liblzma: LZMA2 last and only last, the
 * others delta or a branch converter. A filtered block decodes LZMA2 into its own window of the
 * declared dictionary size and passes the converted bytes on. Returns where the LZMA2 data ends.
 */
function decodeBlock(
  input: Uint8Array,
  start: number,
  filters: { id: number; properties: Uint8Array }[],
  output: LzOutput,
  tick?: () => void,
): number {
  const last = filters.at(-1) as { id: number; properties: Uint8Array };
  for (const filter of filters.slice(0, -1)) {
    if (filter.id === LZMA2_FILTER) throw new CorruptDataError("LZMA2 is not the last xz filter");
    if (!isSupportedXzFilter(filter.id)) {
      throw new UnsupportedFeatureError(`xz filter ${filterName(filter.id)} is not supported`);
    }
  }
  if (last.id !== LZMA2_FILTER) {
    if (isSupportedXzFilter(last.id))
      throw new CorruptDataError(`xz filter ${filterName(last.id)} is last in its chain`);
    throw new UnsupportedFeatureError(`xz filter ${filterName(last.id)} is not supported`);
  }
  if (filters.length === 1) return decodeLzma2(input, start, output, tick);
  if (last.properties.length !== 1) throw new CorruptDataError("xz LZMA2 properties are not one byte");
  const dictionary = Math.max(4096, Math.min(FILTERED_WINDOW_MAX, lzma2DictionarySize(last.properties[0] as number)));
  const stages: FilterStage[] = [];
  let next: { append(chunk: Uint8Array): void } = output;
  for (const filter of filters.slice(0, -1)) {
    const { filter: converter, start: offset } = createXzFilter(filter.id, filter.properties);
    const stage = new FilterStage(converter, offset, next);
    stages.push(stage);
    next = stage;
  }
  const windowed = new WindowedOutput(next, dictionary, Math.max(WINDOW_ROOM, dictionary >>> 2));
  let end: number;
  try {
    end = decodeLzma2(input, start, windowed, tick);
  } finally {
    windowed.flush();
    // The innermost stage (next to LZMA2) finishes first: its tail feeds the one after it.
    for (const stage of stages.reverse()) stage.finish();
  }
  return end;
}

/** True when an xz stream header starts at `position`. */
export function hasXzMagic(input: Uint8Array, position: number): boolean {
  return hasMagic(input, position);
}

/**
 * Decodes one xz stream starting at `start` (its blocks, index and footer; CRCs are not checked) and
 * returns the offset just after its footer. Stream padding after it is the caller's.
 */
export function decodeXzSingleStream(input: Uint8Array, start: number, output: LzOutput, tick?: () => void): number {
  if (!hasMagic(input, start)) throw new CorruptDataError("not an xz stream");
  const streamStart = start;
  let position = start;
  if (position + 12 > input.length) throw new TruncatedDataError("xz stream header cut short");
  const checkType = (input[position + 7] as number) & 0x0f;
  position += 12;
  for (;;) {
    tick?.();
    if (position >= input.length) throw new TruncatedDataError("xz stream ended before its index");
    const sizeByte = input[position] as number;
    if (sizeByte === 0x00) break;
    const headerSize = (sizeByte + 1) * 4;
    const headerEnd = position + headerSize;
    if (headerEnd > input.length) throw new TruncatedDataError("xz block header cut short");
    const flags = input[position + 1] as number;
    const state = { position: position + 2 };
    if (flags & 0x40) readVarint(input, state, headerEnd);
    if (flags & 0x80) readVarint(input, state, headerEnd);
    const filterCount = (flags & 0x03) + 1;
    const filters: { id: number; properties: Uint8Array }[] = [];
    for (let filter = 0; filter < filterCount; filter++) {
      const id = readVarint(input, state, headerEnd);
      const propertiesSize = readVarint(input, state, headerEnd);
      if (state.position + propertiesSize > headerEnd)
        throw new CorruptDataError("xz filter properties overrun the block header");
      filters.push({ id, properties: input.subarray(state.position, state.position + propertiesSize) });
      state.position += propertiesSize;
    }
    position = decodeBlock(input, headerEnd, filters, output, tick);
    while ((position - streamStart) % 4 !== 0) position++;
    position += checkSize(checkType);
  }
  // Index: indicator, record count, records, padding, CRC32; then the 12-byte footer.
  const state = { position: position + 1 };
  const records = readVarint(input, state, input.length);
  for (let record = 0; record < records; record++) {
    readVarint(input, state, input.length);
    readVarint(input, state, input.length);
    if ((record & 0xff) === 0) tick?.();
  }
  position = state.position;
  while ((position - streamStart) % 4 !== 0) position++;
  position += 4 + 12;
  if (position > input.length) throw new TruncatedDataError("xz index or footer cut short");
  return position;
}

/**
 * The offset of the next xz stream after `position` as `xz -d` reads concatenated streams: NUL stream
 * padding in a multiple of four bytes, then a stream header. Null when none follows.
 */
export function nextXzStream(input: Uint8Array, position: number): number | null {
  const next = xzPaddingEnd(input, position);
  return hasMagic(input, next) ? next : null;
}

/** The end of the NUL stream padding `xz -d` accepts after `position` (a multiple of four bytes). */
export function xzPaddingEnd(input: Uint8Array, position: number): number {
  let next = position;
  while (next + 4 <= input.length && input.subarray(next, next + 4).every((byte) => byte === 0)) next += 4;
  return next;
}

/** Decodes every stream of an .xz file as `xz -dc` does: concatenated streams with stream padding between. */
export function decodeXz(input: Uint8Array, output: LzOutput, tick?: () => void): number {
  if (!hasMagic(input, 0)) throw new CorruptDataError("not an xz stream");
  let position = 0;
  for (;;) {
    position = decodeXzSingleStream(input, position, output, tick);
    const next = nextXzStream(input, position);
    if (next === null) return xzPaddingEnd(input, position);
    position = next;
  }
}

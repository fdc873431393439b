/** Most strings taken from one operator's custom options; FlexBuffers maps hold a few keys each. */
const MAX_STRINGS = 64;
const MIN_STRING = 3;

const isPrintable = (byte: number) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f);

/** The whole options blob as text when every byte is printable ASCII (a trailing NUL allowed), else null. */
export function printableText(bytes: Uint8Array): string | null {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0) return null;
  for (let index = 0; index < end; index++) if (!isPrintable(bytes[index]!)) return null;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * Printable runs in binary custom options. FlexBuffers (the format TFLite converters write) stores
 * map keys as NUL-terminated strings and string values length-prefixed and NUL-terminated, so the
 * runs are the keys and string values without decoding the (untrusted) offsets.
 */
export function printableRuns(bytes: Uint8Array): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let index = 0; index <= bytes.length && runs.length < MAX_STRINGS; index++) {
    // Control bytes end a run even when printable as text: FlexBuffers length prefixes are often 9 or 10.
    const byte = bytes[index] ?? 0;
    const printable = index < bytes.length && byte >= 0x20 && byte < 0x7f;
    if (printable && start < 0) start = index;
    if (!printable && start >= 0) {
      if (index - start >= MIN_STRING) runs.push(new TextDecoder().decode(bytes.subarray(start, index)));
      start = -1;
    }
  }
  return runs;
}

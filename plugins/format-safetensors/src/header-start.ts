/** The length field that starts a safetensors file; a module of its own so the sniffer does not load the header reader. */
export const LENGTH_FIELD = 8;

/** True when the first bytes look like a safetensors header (8-byte length, then `{` after optional spaces). */
export function looksLikeHeaderStart(head: Uint8Array): { length: bigint } | null {
  if (head.length < LENGTH_FIELD + 1) return null;
  const length = new DataView(head.buffer, head.byteOffset, head.byteLength).getBigUint64(0, true);
  if (length < 2n) return null;
  let index = LENGTH_FIELD;
  while (index < head.length && head[index] === 0x20) index++;
  if (index >= head.length || head[index] !== 0x7b) return null;
  if (BigInt(index - LENGTH_FIELD) >= length) return null;
  return { length };
}

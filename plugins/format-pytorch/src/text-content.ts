/** True when the bytes look like text: no NUL, few control bytes (UTF-8 multi-byte sequences pass). */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let control = 0;
  for (const byte of bytes) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) control++;
  }
  return control * 100 <= bytes.length;
}

/** Markers of TorchScript code text: the mangled module namespace, ops/torch calls, the old version line. */
const MARKERS = ["__torch__", "op_version_set", "torch.", "ops."];

export function hasTorchScriptMarker(head: Uint8Array): boolean {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
  return MARKERS.some((marker) => text.includes(marker));
}

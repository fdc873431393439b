/** float16 and bfloat16 bit patterns to numbers, by lookup tables built on first use (256 KiB each). */

let halfTable: Float32Array | null = null;
let brainTable: Float32Array | null = null;

export function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) table[bits] = decodeFloat16(bits);
  halfTable = table;
  return table;
}

export function bfloat16Table(): Float32Array {
  if (brainTable) return brainTable;
  const table = new Float32Array(65536);
  const words = new Uint32Array(table.buffer);
  // A bfloat16 is the top half of a float32.
  for (let bits = 0; bits < 65536; bits++) words[bits] = bits << 16;
  brainTable = table;
  return table;
}

export function decodeFloat16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

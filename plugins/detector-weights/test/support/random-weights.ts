import { seededRandom } from "@modelaudit/core/testing";

/** `count` normal float32 values (Box-Muller over a seeded PRNG) with deviation `scale`. */
export function normalFloat32(count: number, seed: number, scale = 0.02): Float32Array {
  const random = seededRandom(seed);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * scale;
    const angle = 2 * Math.PI * random();
    values[index] = radius * Math.cos(angle);
    if (index + 1 < count) values[index + 1] = radius * Math.sin(angle);
  }
  return values;
}

/** Writes `payload` into the mantissa LSB of consecutive float32 values from `start`. */
export function embedLsb(values: Float32Array, payload: Uint8Array, start = 0, mostSignificantFirst = true): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let index = 0; index < payload.length * 8; index++) {
    const byte = payload[index >> 3] as number;
    const bit = mostSignificantFirst ? (byte >> (7 - (index & 7))) & 1 : (byte >> (index & 7)) & 1;
    const at = start + index;
    words[at] = (((words[at] as number) & ~1) | bit) >>> 0;
  }
}

/** Writes `payload` into the low byte of consecutive float32 values from `start`. */
export function embedLowBytes(values: Float32Array, payload: Uint8Array, start = 0): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (const [index, byte] of payload.entries()) {
    const at = start + index;
    words[at] = (((words[at] as number) & 0xffffff00) | byte) >>> 0;
  }
}

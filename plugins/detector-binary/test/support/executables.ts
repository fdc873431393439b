/** Test data: executables from format-executable's test support (their owner), random weights here. */
export { buildMachO, buildPe, fixtures, tinyElf } from "../../../format-executable/test/support/executables.js";

/** Deterministic pseudo-random float32 weights (normal-ish via the sum of uniforms). */
export function randomFloat32(bytes: number, seed: number): Uint8Array {
  const floats = new Float32Array(bytes / 4);
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let index = 0; index < floats.length; index++) floats[index] = (next() + next() + next() - 1.5) * 0.05;
  return new Uint8Array(floats.buffer);
}

/** Uniformly random bytes (every byte value, so every magic appears by chance). */
export function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

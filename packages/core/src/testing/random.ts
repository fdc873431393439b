/** A small seeded PRNG (mulberry32): property tests that fail reproduce with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One random damage to a copy of `original`: a truncation, bit flips, an absurd length field written
 * over a few bytes, or a spliced run of its own bytes.
 */
export function mutateBytes(original: Uint8Array, random: () => number): Uint8Array {
  const bytes = Uint8Array.from(original);
  if (bytes.length === 0) return bytes;
  const at = () => Math.floor(random() * bytes.length);
  switch (Math.floor(random() * 4)) {
    case 0:
      return bytes.subarray(0, at());
    case 1: {
      for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) {
        const position = at();
        bytes[position] = (bytes[position] ?? 0) ^ (1 << Math.floor(random() * 8));
      }
      return bytes;
    }
    case 2: {
      const offset = at();
      for (let index = 0; index < 8 && offset + index < bytes.length; index++) bytes[offset + index] = 0xff;
      if (offset + 3 < bytes.length) bytes[offset + 3] = 0x7f;
      return bytes;
    }
    default: {
      const cut = at();
      const from = at();
      const piece = bytes.subarray(from, from + 64);
      const out = new Uint8Array(bytes.length + piece.length);
      out.set(bytes.subarray(0, cut));
      out.set(piece, cut);
      out.set(bytes.subarray(cut), cut + piece.length);
      return out;
    }
  }
}

/** A shuffled copy of `items` (Fisher-Yates with the given PRNG). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const order = [...items];
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as T, order[index] as T];
  }
  return order;
}

/**
 * GGML block-quantized types dequantized to float32, value for value as ggml's reference
 * `dequantize_row_*` (ggml/src/ggml-quants.c) computes them. Block layouts are ggml-common.h's.
 *
 * ggml does this arithmetic in float32: every product and sum is rounded to float32 before the next
 * operation. JavaScript computes in float64, so each intermediate goes through `Math.fround` (one
 * float64 operation on float32 operands, then rounding to float32, is exactly the float32 operation:
 * float64 has more than 2·24+2 mantissa bits). The final rounding is the Float32Array store. A ggml
 * build that fuses multiply-add (FMA) may differ from this in the last bit of `d·q - m` types.
 *
 * Every function reads `blocks` whole blocks from `bytes` (any alignment: fields are assembled byte by
 * byte) and writes `blocks · blockElements` values to `out` from index 0.
 */

import type { TensorDType } from "@modelaudit/core";
import { float16ToNumber } from "./float-tables.js";

export type BlockDequantizer = (bytes: Uint8Array, blocks: number, out: Float32Array) => void;

const fround = Math.fround;
const QK_K = 256;

/** A little-endian binary16 field at `at`, as a number. */
function half(bytes: Uint8Array, at: number): number {
  return float16ToNumber(bytes[at]! | (bytes[at + 1]! << 8));
}

const floatScratch = new Float32Array(1);
const floatScratchBits = new Uint32Array(floatScratch.buffer);

/** A little-endian float32 field at `at`, as a number. */
function single(bytes: Uint8Array, at: number): number {
  floatScratchBits[0] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  return floatScratch[0]!;
}

/** A little-endian uint32 field at `at`. */
function word(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A byte read as int8. */
function signed(byte: number): number {
  return (byte << 24) >> 24;
}

/** q4_0: { half d; u8 qs[16] }. Low nibbles are elements 0-15, high nibbles 16-31; value (q - 8)·d. */
function q4_0(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 18, o += 32) {
    const d = half(bytes, at);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 2 + j]!;
      out[o + j] = ((q & 0x0f) - 8) * d;
      out[o + j + 16] = ((q >>> 4) - 8) * d;
    }
  }
}

/** q4_1: { half d; half m; u8 qs[16] }; value q·d + m. */
function q4_1(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 20, o += 32) {
    const d = half(bytes, at);
    const m = half(bytes, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 4 + j]!;
      out[o + j] = fround((q & 0x0f) * d) + m;
      out[o + j + 16] = fround((q >>> 4) * d) + m;
    }
  }
}

/** q5_0: { half d; u32 qh; u8 qs[16] }; bit j of qh is element j's fifth bit, bit j+16 element j+16's; value (q - 16)·d. */
function q5_0(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 22, o += 32) {
    const d = half(bytes, at);
    const qh = word(bytes, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 6 + j]!;
      const high0 = ((qh >>> j) << 4) & 0x10;
      const high1 = (qh >>> (j + 12)) & 0x10;
      out[o + j] = (((q & 0x0f) | high0) - 16) * d;
      out[o + j + 16] = (((q >>> 4) | high1) - 16) * d;
    }
  }
}

/** q5_1: { half d; half m; u32 qh; u8 qs[16] }; value q·d + m. */
function q5_1(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 24, o += 32) {
    const d = half(bytes, at);
    const m = half(bytes, at + 2);
    const qh = word(bytes, at + 4);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 8 + j]!;
      const high0 = ((qh >>> j) << 4) & 0x10;
      const high1 = (qh >>> (j + 12)) & 0x10;
      out[o + j] = fround(((q & 0x0f) | high0) * d) + m;
      out[o + j + 16] = fround(((q >>> 4) | high1) * d) + m;
    }
  }
}

/** q8_0: { half d; i8 qs[32] }; value q·d. */
function q8_0(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  // The quants read through a signed view: no sign extension per value (the commonest GGUF type).
  const quants = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 34, o += 32) {
    const d = half(bytes, at);
    for (let j = 0, q = at + 2; j < 32; j++, q++) out[o + j] = quants[q]! * d;
  }
}

/**
 * q8_1: ggml has no dequantize_row_q8_1 (the type is an intermediate of dot products); its value is
 * q·d like q8_0, and `s` (d·Σq) is ignored. ggml-common.h's block is { half d; half s; i8 qs[32] }
 * (36 bytes); gguf-py's GGML_QUANT_SIZES says 4 + 4 + 32 (the older { float d; float s; ... }), so
 * the layout follows the block size the dtype vocabulary declares.
 */
function q8_1(blockBytes: number): BlockDequantizer {
  const wide = blockBytes === 40;
  const quants = wide ? 8 : 4;
  return (bytes, blocks, out) => {
    for (let block = 0, at = 0, o = 0; block < blocks; block++, at += blockBytes, o += 32) {
      const d = wide ? single(bytes, at) : half(bytes, at);
      for (let j = 0; j < 32; j++) out[o + j] = signed(bytes[at + quants + j]!) * d;
    }
  };
}

/**
 * q2_K: { u8 scales[16]; u8 qs[64]; half d; half dmin }. Sixteen groups of 16; group scale byte:
 * low nibble × d is the step, high nibble × dmin the offset; value step·q - offset, q 2 bits. Each
 * 32-byte half of qs holds 128 elements: bit pair `shift` of byte l is element (shift/2)·32 + l.
 */
function q2_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 84, o += QK_K) {
    const d = half(bytes, at + 80);
    const dmin = half(bytes, at + 82);
    let y = o;
    let group = 0;
    for (let q = at + 16; q < at + 80; q += 32) {
      for (let shift = 0; shift < 8; shift += 2) {
        for (let part = 0; part < 32; part += 16) {
          const scale = bytes[at + group++]!;
          const step = fround(d * (scale & 0x0f));
          const offset = fround(dmin * (scale >>> 4));
          for (let l = part; l < part + 16; l++) out[y++] = fround(step * ((bytes[q + l]! >>> shift) & 3)) - offset;
        }
      }
    }
  }
}

/**
 * The sixteen 6-bit group scales of q3_K, unpacked from 12 bytes: low nibbles from bytes 0-7 (groups
 * 0-7 low, 8-15 high nibble), the top two bits from bytes 8-11 (bit pair group/4 of byte 8 + group%4).
 */
function q3kScale(bytes: Uint8Array, scales: number, group: number): number {
  const low = group < 8 ? bytes[scales + group]! & 0x0f : bytes[scales + group - 8]! >>> 4;
  const high = (bytes[scales + 8 + (group & 3)]! >>> (2 * (group >>> 2))) & 3;
  return low | (high << 4);
}

/**
 * q3_K: { u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d }. Value d·(scale - 32)·(q - 4·(1 - h)):
 * q the 2-bit low part (as in q2_K), h the high bit from hmask (bit `pass` of byte l or l+16).
 */
function q3_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 110, o += QK_K) {
    const d = half(bytes, at + 108);
    const hmask = at;
    let y = o;
    let group = 0;
    let mask = 1;
    for (let q = at + 32; q < at + 96; q += 32) {
      for (let shift = 0; shift < 8; shift += 2, mask <<= 1) {
        for (let part = 0; part < 32; part += 16) {
          const step = fround(d * (q3kScale(bytes, at + 96, group++) - 32));
          for (let l = part; l < part + 16; l++) {
            const low = (bytes[q + l]! >>> shift) & 3;
            const high = bytes[hmask + l]! & mask ? 0 : 4;
            out[y++] = step * (low - high);
          }
        }
      }
    }
  }
}

/**
 * The 6-bit scale and min of group j (0-7) of q4_K and q5_K, from their 12 packed bytes at `at`
 * (ggml's get_scale_min_k4): groups 0-3 in the low six bits of bytes 0-3 and 4-7, groups 4-7 in the
 * nibbles of bytes 8-11 with the top two bits from the high bits of bytes 0-7.
 */
function scaleK4(bytes: Uint8Array, at: number, j: number): number {
  if (j < 4) return bytes[at + j]! & 63;
  return (bytes[at + j + 4]! & 0x0f) | ((bytes[at + j - 4]! >>> 6) << 4);
}

function minK4(bytes: Uint8Array, at: number, j: number): number {
  if (j < 4) return bytes[at + j + 4]! & 63;
  return (bytes[at + j + 4]! >>> 4) | ((bytes[at + j]! >>> 6) << 4);
}

/**
 * q4_K: { half d; half dmin; u8 scales[12]; u8 qs[128] }. Eight groups of 32; each 32 bytes of qs
 * hold two groups (low nibbles, then high nibbles); value d·scale·q - dmin·min.
 */
function q4_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 144, o += QK_K) {
    const d = half(bytes, at);
    const dmin = half(bytes, at + 2);
    let y = o;
    for (let group = 0, q = at + 16; group < 8; group += 2, q += 32) {
      const step1 = fround(d * scaleK4(bytes, at + 4, group));
      const offset1 = fround(dmin * minK4(bytes, at + 4, group));
      const step2 = fround(d * scaleK4(bytes, at + 4, group + 1));
      const offset2 = fround(dmin * minK4(bytes, at + 4, group + 1));
      for (let l = 0; l < 32; l++) out[y++] = fround(step1 * (bytes[q + l]! & 0x0f)) - offset1;
      for (let l = 0; l < 32; l++) out[y++] = fround(step2 * (bytes[q + l]! >>> 4)) - offset2;
    }
  }
}

/**
 * q5_K: { half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128] }: q4_K with a fifth bit per
 * element, bit `group` of qh byte l (worth 16).
 */
function q5_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 176, o += QK_K) {
    const d = half(bytes, at);
    const dmin = half(bytes, at + 2);
    const qh = at + 16;
    let y = o;
    for (let group = 0, q = at + 48; group < 8; group += 2, q += 32) {
      const step1 = fround(d * scaleK4(bytes, at + 4, group));
      const offset1 = fround(dmin * minK4(bytes, at + 4, group));
      const step2 = fround(d * scaleK4(bytes, at + 4, group + 1));
      const offset2 = fround(dmin * minK4(bytes, at + 4, group + 1));
      const bit1 = 1 << group;
      const bit2 = 2 << group;
      for (let l = 0; l < 32; l++) {
        out[y++] = fround(step1 * ((bytes[q + l]! & 0x0f) + (bytes[qh + l]! & bit1 ? 16 : 0))) - offset1;
      }
      for (let l = 0; l < 32; l++) {
        out[y++] = fround(step2 * ((bytes[q + l]! >>> 4) + (bytes[qh + l]! & bit2 ? 16 : 0))) - offset2;
      }
    }
  }
}

/**
 * q6_K: { u8 ql[128]; u8 qh[64]; i8 scales[16]; half d }. Each half of 128 elements takes 64 bytes of
 * ql (4 low bits), 32 of qh (2 high bits) and 8 scales; value d·scale·(q - 32).
 */
function q6_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 210, o += QK_K) {
    const d = half(bytes, at + 208);
    for (let part = 0; part < 2; part++) {
      const ql = at + part * 64;
      const qh = at + 128 + part * 32;
      const scales = at + 192 + part * 8;
      const y = o + part * 128;
      for (let l = 0; l < 32; l++) {
        const group = scales + (l >>> 4);
        const low0 = bytes[ql + l]!;
        const low1 = bytes[ql + l + 32]!;
        const high = bytes[qh + l]!;
        out[y + l] = fround(d * signed(bytes[group]!)) * (((low0 & 0x0f) | ((high & 3) << 4)) - 32);
        out[y + l + 32] = fround(d * signed(bytes[group + 2]!)) * (((low1 & 0x0f) | (((high >>> 2) & 3) << 4)) - 32);
        out[y + l + 64] = fround(d * signed(bytes[group + 4]!)) * (((low0 >>> 4) | (((high >>> 4) & 3) << 4)) - 32);
        out[y + l + 96] = fround(d * signed(bytes[group + 6]!)) * (((low1 >>> 4) | (((high >>> 6) & 3) << 4)) - 32);
      }
    }
  }
}

/** q8_K: { float d; i8 qs[256]; i16 bsums[16] }; value q·d (bsums are for dot products). */
function q8_k(bytes: Uint8Array, blocks: number, out: Float32Array): void {
  for (let block = 0, at = 0, o = 0; block < blocks; block++, at += 292, o += QK_K) {
    const d = single(bytes, at);
    for (let j = 0; j < QK_K; j++) out[o + j] = d * signed(bytes[at + 4 + j]!);
  }
}

/** The dequantizer for a GGML block type, given the block size the vocabulary declares; null when not decodable. */
export function blockDequantizer(dtype: TensorDType, blockBytes: number): BlockDequantizer | null {
  switch (dtype) {
    case "q4_0":
      return q4_0;
    case "q4_1":
      return q4_1;
    case "q5_0":
      return q5_0;
    case "q5_1":
      return q5_1;
    case "q8_0":
      return q8_0;
    case "q8_1":
      return blockBytes === 36 || blockBytes === 40 ? q8_1(blockBytes) : null;
    case "q2_k":
      return q2_k;
    case "q3_k":
      return q3_k;
    case "q4_k":
      return q4_k;
    case "q5_k":
      return q5_k;
    case "q6_k":
      return q6_k;
    case "q8_k":
      return q8_k;
    default:
      return null;
  }
}

import type { TensorConsumer, TensorDType } from "@modelaudit/core";
import { dtypeInfo } from "@modelaudit/core";
import { float16Table } from "@modelaudit/tensors";

/**
 * Where each GGML block type keeps its scale `d` (and `dmin`, the scale of the block minimums), as
 * ggml-common.h lays the blocks out: a binary16 field at a byte offset inside every block (float32
 * for q8_K). `signed` is false where ggml's reference quantizer only ever writes d ≥ 0 (q8_0 takes
 * d = max|x| / 127; q4_0 and q5_0 take the signed extreme / -8 or -16, so their d is either sign).
 */
interface BlockScaleLayout {
  fields: { offset: number; name: "d" | "dmin" }[];
  float32?: boolean;
  signed: boolean;
}

const LAYOUTS: Partial<Record<TensorDType, BlockScaleLayout>> = {
  q4_0: { fields: [{ offset: 0, name: "d" }], signed: true },
  q4_1: { fields: [{ offset: 0, name: "d" }], signed: true },
  q5_0: { fields: [{ offset: 0, name: "d" }], signed: true },
  q5_1: { fields: [{ offset: 0, name: "d" }], signed: true },
  q8_0: { fields: [{ offset: 0, name: "d" }], signed: false },
  q2_k: {
    fields: [
      { offset: 80, name: "d" },
      { offset: 82, name: "dmin" },
    ],
    signed: true,
  },
  q3_k: { fields: [{ offset: 108, name: "d" }], signed: true },
  q4_k: {
    fields: [
      { offset: 0, name: "d" },
      { offset: 2, name: "dmin" },
    ],
    signed: true,
  },
  q5_k: {
    fields: [
      { offset: 0, name: "d" },
      { offset: 2, name: "dmin" },
    ],
    signed: true,
  },
  q6_k: { fields: [{ offset: 208, name: "d" }], signed: true },
  q8_k: { fields: [{ offset: 0, name: "d" }], float32: true, signed: true },
};

export function hasBlockScales(dtype: TensorDType): boolean {
  return LAYOUTS[dtype] !== undefined;
}

const scratch = new DataView(new ArrayBuffer(4));

/** Counts the blocks of a GGML tensor whose scale is non-finite, extreme, or negative where ggml never writes one. */
export class BlockScales implements TensorConsumer {
  blocks = 0;
  nonFinite = 0;
  negative = 0;
  extreme = 0;
  first: { block: number; field: string; value: number } | null = null;
  complete: boolean | null = null;
  private readonly layout: BlockScaleLayout;
  private readonly blockBytes: number;

  constructor(
    dtype: TensorDType,
    private readonly maxScale: number,
  ) {
    const layout = LAYOUTS[dtype];
    if (!layout) throw new RangeError(`${dtype} has no block scale layout`);
    this.layout = layout;
    this.blockBytes = dtypeInfo(dtype).blockBytes;
  }

  get broken(): number {
    return this.nonFinite + this.negative + this.extreme;
  }

  /**
   * Counts the blocks of `chunk` without a look at them when `scales`, the range of every block's d
   * in this chunk (the shared statistics read it for q8_0), is within bounds; false, with nothing
   * counted, when the blocks must be read (`data`).
   */
  countWithin(chunk: Uint8Array, scales: { least: number; greatest: number } | null): boolean {
    const least = this.layout.signed ? -this.maxScale : 0;
    if (scales === null || this.layout.fields.length !== 1 || this.layout.float32) return false;
    if (!(scales.least >= least && scales.greatest <= this.maxScale)) return false;
    this.blocks += Math.floor(chunk.length / this.blockBytes);
    return true;
  }

  data(chunk: Uint8Array): void {
    const { fields, float32 } = this.layout;
    const size = this.blockBytes;
    // Binary16 scales in range are told by their bits (see halfLimit): two byte loads and a compare
    // per scale, since every block of a GGUF file passes here; only a scale out of range is decoded.
    const limit = float32 ? -1 : halfLimit(this.maxScale);
    const magnitudeMask = this.layout.signed ? 0x7fff : 0xffff;
    if (limit >= 0 && fields.length === 1) {
      // One binary16 field (q8_0, q4_0, ...: most GGUF blocks): the loop without the field loop
      // inside, about a fifth of its cost.
      const { offset: fieldOffset, name } = fields[0]!;
      let block = this.blocks;
      for (let at = fieldOffset; at + size - fieldOffset <= chunk.length; at += size, block++) {
        const bits = chunk[at]! | (chunk[at + 1]! << 8);
        if ((bits & magnitudeMask) > limit && bits !== 0x8000) this.judgeScale(chunk, at, name, block);
      }
      this.blocks = block;
      return;
    }
    let blocks = this.blocks;
    for (let at = 0; at + size <= chunk.length; at += size, blocks++) {
      for (let index = 0; index < fields.length; index++) {
        const offset = at + fields[index]!.offset;
        if (limit >= 0) {
          const bits = chunk[offset]! | (chunk[offset + 1]! << 8);
          // -0 (0x8000) is a zero scale, in range for unsigned layouts too.
          if ((bits & magnitudeMask) <= limit || bits === 0x8000) continue;
        }
        this.judgeScale(chunk, offset, fields[index]!.name, blocks);
      }
    }
    this.blocks = blocks;
  }

  /** One scale, decoded: counted when non-finite, beyond maxScale, or negative where ggml never writes one. */
  private judgeScale(chunk: Uint8Array, offset: number, field: "d" | "dmin", block: number): void {
    const value = this.layout.float32
      ? readFloat32(chunk, offset)
      : halfValues()[chunk[offset]! | (chunk[offset + 1]! << 8)]!;
    const least = this.layout.signed ? -this.maxScale : 0;
    // A NaN fails both comparisons.
    if (value >= least && value <= this.maxScale) return;
    if (!Number.isFinite(value)) this.nonFinite++;
    else if (Math.abs(value) > this.maxScale) this.extreme++;
    else this.negative++;
    this.first ??= { block, field, value };
  }

  end(complete: boolean): void {
    this.complete ??= complete;
  }
}

/**
 * The largest binary16 bit pattern whose value is within [0, maxScale]: non-negative halfs order as
 * their bits do, so a scale is in range when its bits (without the sign, where negative scales are
 * allowed) are at most this. NaN and ±Inf patterns lie above every finite one.
 */
function halfLimit(maxScale: number): number {
  let limit = halfLimits.get(maxScale);
  if (limit === undefined) {
    const half = halfValues();
    limit = -1;
    for (let bits = 0; bits < 0x7c00; bits++) if (half[bits]! <= maxScale) limit = bits;
    halfLimits.set(maxScale, limit);
  }
  return limit;
}

const halfLimits = new Map<number, number>();

/** Every binary16 pattern's value (the tensors package's table of float32 bits, read as floats). */
let halfTable: Float32Array | null = null;

function halfValues(): Float32Array {
  halfTable ??= new Float32Array(float16Table().buffer);
  return halfTable;
}

function readFloat32(bytes: Uint8Array, at: number): number {
  for (let index = 0; index < 4; index++) scratch.setUint8(index, bytes[at + index]!);
  return scratch.getFloat32(0, true);
}

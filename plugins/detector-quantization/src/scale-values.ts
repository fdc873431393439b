import type { TensorConsumer, TensorDType } from "@modelaudit/core";
import { type FloatDecoder, floatDecoder } from "@modelaudit/tensors";

/** Zero scales whose indices are kept (to be matched with all-zero rows of their weight). */
export const MAX_ZERO_INDICES = 256;

/** The first value of each kind of broken scale, for the message. */
export interface FirstBad {
  index: number;
  value: number;
}

/**
 * Counts the broken values of a quantization scale: a scale multiplies every weight it covers, so
 * NaN or ±Inf poisons them, zero erases them, a negative value flips their sign and a huge one makes
 * them overflow. Every element is looked at; the work is one comparison chain per value.
 */
export class ScaleValues implements TensorConsumer {
  values = 0;
  nan = 0;
  infinite = 0;
  zero = 0;
  negative = 0;
  extreme = 0;
  first: FirstBad | null = null;
  /** Indices of the zero scales, the first MAX_ZERO_INDICES of them. */
  readonly zeroIndices: number[] = [];
  complete: boolean | null = null;
  private readonly decoder: FloatDecoder | null;

  constructor(
    dtype: TensorDType,
    private readonly maxScale: number,
  ) {
    this.decoder = floatDecoder(dtype);
  }

  get decodable(): boolean {
    return this.decoder !== null;
  }

  get broken(): number {
    return this.nan + this.infinite + this.zero + this.negative + this.extreme;
  }

  data(chunk: Uint8Array): void {
    if (this.decoder === null) return;
    const values = this.decoder.decode(chunk);
    for (let index = 0; index < values.length; index++) {
      const value = values[index]!;
      const at = this.values + index;
      if (value > 0 && value <= this.maxScale) continue;
      if (Number.isNaN(value)) this.nan++;
      else if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) this.infinite++;
      else if (value === 0) {
        this.zero++;
        if (this.zeroIndices.length < MAX_ZERO_INDICES) this.zeroIndices.push(at);
      } else if (value < 0) this.negative++;
      else this.extreme++;
      this.first ??= { index: at, value };
    }
    this.values += values.length;
  }

  end(complete: boolean): void {
    this.complete ??= complete;
  }
}

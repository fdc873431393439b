import { TENSOR_DTYPES, type TensorDType } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { drive } from "./drive.js";

const NAMES = ["fc.weight", "fc.weight_scale", "fc.weight_zero_point", "fc.scale", "blk.0.attn_q.weight", "mask"];

describe("hostile tensors", () => {
  it("never throws on random bytes of any dtype, name, shape and chunking", () => {
    const random = seededRandom(7);
    for (const dtype of TENSOR_DTYPES as readonly TensorDType[]) {
      for (const name of NAMES) {
        const length = Math.floor(random() * 3000);
        const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
        const shapes = [[length], [0, 5], [3, Math.max(1, Math.floor(length / 3))], [], [2 ** 40, 2 ** 40]];
        for (const shape of shapes) {
          for (const chunkSize of [1, 7, 4096]) {
            expect(() => drive([{ name, dtype, shape, bytes }], { chunkSize })).not.toThrow();
          }
        }
      }
    }
  });

  it("ignores config claims whose values are not dtypes or methods it knows", () => {
    const facts = [
      { kind: "text" as const, key: "torch_dtype", text: "float128", role: "config" as const },
      {
        kind: "text" as const,
        key: "quantization_config.quant_method",
        text: "x".repeat(10_000),
        role: "config" as const,
      },
    ];
    expect(drive([{ name: "w", dtype: "f32", shape: [4], bytes: new Uint8Array(16) }], { facts })).toEqual([]);
  });
});

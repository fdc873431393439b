import { dtypeInfo, TENSOR_DTYPES } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { drive, random } from "./synthetic.js";

describe("hostile tensor data", () => {
  it("reads random bytes of every float and integer dtype, in odd chunks, without a crash or a finding", () => {
    const next = random(41);
    const bytes = Uint8Array.from({ length: 1 << 16 }, () => Math.floor(next() * 256));
    for (const dtype of TENSOR_DTYPES) {
      const info = dtypeInfo(dtype);
      if (info.class !== "float" && info.class !== "integer") continue;
      const length = bytes.length - (bytes.length % info.blockBytes);
      // Random words: no header, no text, no slope or period; nothing to report.
      expect(drive([{ name: dtype, dtype, bytes: bytes.subarray(0, length) }], { chunkSize: 4093 }), dtype).toEqual([]);
    }
  });

  it("keeps up with large tensors (about 64 MB of float32 in well under the test timeout)", () => {
    const values = new Float32Array(16 << 20);
    const next = random(42);
    for (let index = 0; index < values.length; index++) values[index] = (next() - 0.5) * 0.1;
    const started = performance.now();
    expect(drive([{ name: "big", dtype: "f32", bytes: new Uint8Array(values.buffer) }], { level: "thorough" })).toEqual(
      [],
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`stego: 64 MiB float32 in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(30);
  });
});

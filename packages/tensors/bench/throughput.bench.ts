/**
 * Throughput of the per-weight work, against Node's SHA-256 of the same bytes (the yardstick).
 * Each case processes MIB MiB: MB/s = hz × MIB. Run: pnpm --filter @modelaudit/tensors bench
 */
import { createHash } from "node:crypto";
import { dtypeInfo, type TensorDType } from "@modelaudit/core";
import { bench, describe } from "vitest";
import { floatDecoder } from "../src/decode.js";
import { LowBitPlanes, lowBitPlanesFor } from "../src/low-bit-planes.js";
import { TensorStatistics } from "../src/statistics.js";

const MIB = 32;
/** The engine's chunk size order of magnitude. */
const CHUNK = 1 << 20;

function weights(dtype: TensorDType): Uint8Array {
  const bytes = new Uint8Array(MIB << 20);
  if (dtype === "f32") {
    const values = new Float32Array(bytes.buffer);
    for (let index = 0; index < values.length; index++) values[index] = 0.02 * Math.sin(index * 0.7) + 0.001;
  } else if (dtype === "f16" || dtype === "bf16") {
    const halves = new Uint16Array(bytes.buffer);
    // Small normal values of either format, varied.
    for (let index = 0; index < halves.length; index++)
      halves[index] = (dtype === "f16" ? 0x2000 : 0x3c00) + ((index * 2654435761) >>> 20);
  } else {
    let seed = 1;
    for (let index = 0; index < bytes.length; index++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[index] = seed >>> 24;
    }
    // Plausible block scales: zero the top bits of every byte so f16 scales stay small and finite.
    for (let index = 0; index < bytes.length; index++) bytes[index]! &= 0x3b;
  }
  return bytes.subarray(0, bytes.length - (bytes.length % dtypeInfo(dtype).blockBytes));
}

function feed(
  consumer: { data(chunk: Uint8Array, offset: number): void; end(complete: boolean): void },
  bytes: Uint8Array,
  blockBytes: number,
): void {
  const step = CHUNK - (CHUNK % blockBytes);
  for (let at = 0; at < bytes.length; at += step) consumer.data(bytes.subarray(at, at + step), at);
  consumer.end(true);
}

const DTYPES: TensorDType[] = ["f32", "f16", "bf16", "q8_0", "q4_k", "q6_k"];
const inputs = new Map(DTYPES.map((dtype) => [dtype, weights(dtype)]));

describe(`${MIB} MiB per iteration`, () => {
  bench("sha256 (reference)", () => {
    createHash("sha256").update(inputs.get("f32")!).digest();
  });
  for (const dtype of DTYPES) {
    const bytes = inputs.get(dtype)!;
    const { blockBytes } = dtypeInfo(dtype);
    bench(`${dtype} decode`, () => {
      const decoder = floatDecoder(dtype)!;
      const step = CHUNK - (CHUNK % blockBytes);
      for (let at = 0; at < bytes.length; at += step) decoder.decode(bytes.subarray(at, at + step));
    });
    bench(`${dtype} statistics`, () => {
      const elements = (bytes.length / blockBytes) * dtypeInfo(dtype).blockElements;
      feed(new TensorStatistics(dtype, [elements / 4096, 4096]), bytes, blockBytes);
    });
  }
  bench("f32 low-bit planes, every byte read", () => {
    const sink = { sum: 0 };
    const planes = new LowBitPlanes("f32", {
      planes: lowBitPlanesFor("f32"),
      onPlane: (_plane, bytes) => {
        for (let index = 0; index < bytes.length; index++) sink.sum += bytes[index]!;
      },
    });
    feed(planes, inputs.get("f32")!, 4);
  });
});

import type { Fact } from "@modelaudit/core";
import type { TensorStatistics } from "@modelaudit/tensors";
import { describe, expect, it } from "vitest";
import { judgeNonFinite } from "../src/non-finite.js";
import { drive, f32, gaussian, i8, i32, quantizeRows, summary, u8 } from "./drive.js";

const weight = gaussian(64 * 32);
const { quants, scales } = quantizeRows(weight, 64);
const int8Model = (scaleValues: ArrayLike<number>, quantValues: ArrayLike<number> = quants) => [
  { name: "fc.weight", dtype: "i8" as const, shape: [64, 32], bytes: i8(quantValues) },
  { name: "fc.weight_scale", dtype: "f32" as const, shape: [64, 1], bytes: f32(scaleValues) },
];

describe("broken-scale", () => {
  it("leaves an honest per-channel int8 layer alone", () => {
    expect(drive(int8Model(scales))).toEqual([]);
  });

  it.each([
    ["NaN", Number.NaN, "nan"],
    ["+Inf", Number.POSITIVE_INFINITY, "infinite"],
    ["zero", 0, "zero"],
    ["negative", -0.01, "negative"],
    ["1e30", 1e30, "extreme"],
  ])("reports a %s scale with its count, index and value", (_label, bad, counter) => {
    const broken = Float32Array.from(scales);
    broken[9] = bad;
    const reports = drive(int8Model(broken));
    expect(summary(reports)).toEqual([["broken-scale", "scales"]]);
    expect(reports[0]!.data).toMatchObject({ tensor: "fc.weight_scale", [counter]: 1, index: 9, values: 64 });
    expect(reports[0]!.location).toEqual({ path: "fc.weight_scale", offset: 36 });
  });

  it("accepts a zero scale on an all-zero row (absmax 0/0 := 0), in either tensor order", () => {
    const padded = Float32Array.from(weight).fill(0, 0, 32);
    const rows = quantizeRows(padded, 64);
    rows.scales[0] = 0;
    rows.quants.fill(0, 0, 32);
    expect(drive(int8Model(rows.scales, rows.quants))).toEqual([]);
    expect(drive([...int8Model(rows.scales, rows.quants)].reverse())).toEqual([]);
    // emb_int8 and emb_scale pair as one layer, as a hand-written per-row int8 embedding names them.
    const embedding = [
      { name: "emb_scale", dtype: "f32" as const, shape: [64], bytes: f32(rows.scales) },
      { name: "emb_int8", dtype: "i8" as const, shape: [64, 32], bytes: i8(rows.quants) },
    ];
    expect(drive(embedding)).toEqual([]);
  });

  it("reports a zero scale whose row of quantized weights is not zero, and zeros without a weight", () => {
    const broken = Float32Array.from(scales);
    broken[0] = 0;
    expect(summary(drive(int8Model(broken)))).toEqual([["broken-scale", "scales"]]);
    const lone = (values: Float32Array) => [
      { name: "emb_scale", dtype: "f32" as const, shape: [64], bytes: f32(values) },
    ];
    const reports = drive(lone(broken));
    expect(reports.map((report) => [report.messageId, report.severity])).toEqual([["zeroRow", "info"]]);
    broken[5] = 0;
    expect(drive(lone(broken)).map((report) => [report.messageId, report.severity])).toEqual([["scales", undefined]]);
  });

  it("takes maxScale from the options", () => {
    const big = Float32Array.from(scales).fill(50, 0, 1);
    expect(drive(int8Model(big))).toEqual([]);
    expect(summary(drive(int8Model(big), { options: { maxScale: 10 } }))).toEqual([["broken-scale", "scales"]]);
  });

  it("judges a scalar torch `scale` but not a norm's signed gain", () => {
    const reports = drive([
      { name: "fc.scale", dtype: "f32", shape: [], bytes: f32([0]) },
      { name: "encoder.layer_norm.scale", dtype: "f32", shape: [8], bytes: f32([-1, 0, 1, 2, -3, 0.5, 0, 1]) },
      { name: "ln_f.scale", dtype: "f32", shape: [8], bytes: f32([-1, 0, 1, 2, -3, 0.5, 0, 1]) },
      { name: "head.scale", dtype: "f32", shape: [4], bytes: f32([-1, 0, 1, 2]) },
    ]);
    expect(reports.map((report) => report.data?.tensor)).toEqual(["fc.scale"]);
  });

  it("reads GGUF block scales: a NaN d in Q8_0, a negative Q8_0 d, Q4_0's signed d left alone", () => {
    const block = (d: number, type: "q8_0" | "q4_0") => {
      const size = type === "q8_0" ? 34 : 18;
      const bytes = new Uint8Array(size);
      new DataView(bytes.buffer).setUint16(0, d, true);
      return bytes;
    };
    const NAN = 0x7e00;
    const MINUS_ONE = 0xbc00;
    const ONE = 0x3c00;
    const q8 = new Uint8Array([...block(ONE, "q8_0"), ...block(NAN, "q8_0"), ...block(MINUS_ONE, "q8_0")]);
    const q4 = new Uint8Array([...block(MINUS_ONE, "q4_0"), ...block(ONE, "q4_0")]);
    const reports = drive([
      { name: "blk.0.ffn.weight", dtype: "q8_0", shape: [3, 32], bytes: q8 },
      { name: "blk.0.attn.weight", dtype: "q4_0", shape: [2, 32], bytes: q4 },
    ]);
    expect(summary(reports)).toEqual([["broken-scale", "blocks"]]);
    expect(reports[0]!.data).toMatchObject({ nonFinite: 1, negative: 1, blocks: 3, block: 1, field: "d" });
    expect(reports[0]!.location).toEqual({ path: "blk.0.ffn.weight", offset: 34 });
  });
});

describe("torch quantized tensors' per-tensor parameters", () => {
  const rebuild = (params: string): Fact => ({
    kind: "call",
    callee: { module: "torch._utils", name: "_rebuild_qtensor" },
    via: "REDUCE",
    args: ["<persistent id>", "0", "(10, 64)", "(64, 1)", params, "False", "collections.OrderedDict(…)"],
    location: { offset: 820, opcode: "REDUCE", stream: 0 },
  });

  it("reports a NaN or huge scale and a zero point outside 8 bits, from the rebuild call", () => {
    expect(drive([], { facts: [rebuild("(torch.per_tensor_affine, 0.0067, 0)")] })).toEqual([]);
    const reports = drive([], {
      facts: [rebuild("(torch.per_tensor_affine, NaN, 0)"), rebuild("(torch.per_tensor_symmetric, 1e+30, 300)")],
    });
    expect(summary(reports)).toEqual([
      ["broken-scale", "qtensor"],
      ["broken-scale", "qtensor"],
      ["zero-point-range", "qtensor"],
    ]);
    expect(reports[0]!.data).toMatchObject({ value: "NaN", size: "(10, 64)", offset: 820 });
    expect(reports[2]!.data).toMatchObject({ zeroPoint: "300" });
  });

  it("leaves per-channel parameters (tensors) and other calls alone", () => {
    const perChannel = rebuild(
      "(torch.per_channel_affine, torch._utils._rebuild_tensor_v2(…), torch._utils._rebuild_tensor_v2(…), 0)",
    );
    expect(drive([], { facts: [perChannel] })).toEqual([]);
  });
});

describe("zero-point-range", () => {
  const uint8Layer = (zeroPoint: number) => [
    { name: "fc.weight", dtype: "u8" as const, shape: [64, 32], bytes: u8(Array.from(quants, (q) => q + 128)) },
    { name: "fc.weight_scale", dtype: "f32" as const, shape: [1], bytes: f32([0.001]) },
    { name: "fc.weight_zero_point", dtype: "i32" as const, shape: [1], bytes: i32([zeroPoint]) },
  ];

  it("accepts a zero point inside uint8 and reports one outside it", () => {
    expect(drive(uint8Layer(128))).toEqual([]);
    const reports = drive(uint8Layer(-3));
    expect(summary(reports)).toEqual([["zero-point-range", "outside"]]);
    expect(reports[0]!.data).toMatchObject({ min: -3, max: -3, range: "uint8", low: 0, high: 255 });
  });

  it("uses the union of int8 and uint8 when the weight's type is unknown", () => {
    const alone = [{ name: "proj.zero_point", dtype: "i64" as const, shape: [2], bytes: new Uint8Array(16) }];
    new DataView(alone[0]!.bytes.buffer).setBigInt64(8, 1000n, true);
    expect(drive(alone)[0]!.data).toMatchObject({ max: 1000, range: "int8 or uint8" });
  });
});

describe("int8-range", () => {
  it("reports clipped weights with the counts behind the verdict", () => {
    const clipped = Int8Array.from(quants, (q) => Math.max(-127, Math.min(127, q * 6)));
    const reports = drive(int8Model(scales, clipped));
    expect(summary(reports)).toEqual([["int8-range", "saturated"]]);
    expect(reports[0]!.data).toMatchObject({ values: 2048, expected: 256, threshold: "10.0%" });
    expect(Number(reports[0]!.data!.saturated)).toBeGreaterThan(1000);
  });

  it("notes a barely used range as info", () => {
    const narrow = Int8Array.from(quants, (q) => Math.round(q / 32));
    const reports = drive(int8Model(scales, narrow));
    expect(summary(reports)).toEqual([["int8-range", "narrow"]]);
    expect(reports[0]!.severity).toBe("info");
  });

  it("only judges 8-bit tensors that have a scale (a uint8 image is not a quantized weight)", () => {
    const image = u8(Array.from({ length: 4096 }, (_, index) => (index % 2 ? 255 : 0)));
    expect(drive([{ name: "sample_image", dtype: "u8", shape: [64, 64], bytes: image }])).toEqual([]);
  });
});

describe("non-finite-weights (moved from detector-weights)", () => {
  it("reports NaN weights, and notes a mask's -Inf and a sentinel", () => {
    const poisoned = Float32Array.from(weight);
    poisoned[100] = Number.NaN;
    const mask = Float32Array.from({ length: 64 }, (_, index) => (index % 2 ? Number.NEGATIVE_INFINITY : 0));
    const reports = drive([
      { name: "fc.weight", dtype: "f32", shape: [64, 32], bytes: f32(poisoned) },
      { name: "attn.causal_mask", dtype: "f32", shape: [8, 8], bytes: f32(mask) },
      { name: "imputer.min_value", dtype: "f32", shape: [4], bytes: f32(new Float32Array(4).fill(-Infinity)) },
    ]);
    expect(reports.map((report) => [report.messageId, report.severity])).toEqual([
      ["found", undefined],
      ["maskInfinity", "info"],
      ["sentinelInfinity", "info"],
    ]);
  });
});

describe("non-finite values in NumPy data arrays", () => {
  const counts = (nan: number, positiveInfinity = 0) =>
    ({
      nonFinite: nan + positiveInfinity,
      nan,
      positiveInfinity,
      negativeInfinity: 0,
      elements: 1000,
    }) as unknown as TensorStatistics;
  const verdict = (name: string, formats: string[], nan = 100, infinity = 0) =>
    judgeNonFinite(name, counts(nan, infinity), formats)?.messageId;

  it("notes NaN in arrays NumPy wrote that are not named as weights: missing values in data", () => {
    expect(verdict("features_with_nan.npy", ["numpy"])).toBe("missingValues");
    expect(verdict("X_train.npy", ["npz", "numpy", "zip"])).toBe("missingValues");
    expect(judgeNonFinite("X_test.npy", counts(3), ["numpy"])?.note).toBe(true);
  });

  it("keeps NaN in weights a warning: named as weights in a NumPy file, or in a model format", () => {
    for (const name of ["nan_weights_f16.npy", "fc1.weight.npy", "W1.npy", "b2.npy", "encoder/kernel.npy", "model.npy"])
      expect(verdict(name, ["numpy"]), name).toBe("found");
    expect(verdict("X_train", ["safetensors"])).toBe("found");
    expect(verdict("features", ["pytorch-legacy", "pickle"])).toBe("found");
    expect(verdict("features", [])).toBe("found");
    // Infinities alone are not missing values.
    expect(verdict("features.npy", ["numpy"], 0, 2)).toBe("found");
  });
});

describe("pruned-rows", () => {
  it("notes evenly spaced zero rows with their stride, and not a single padding row", () => {
    const pruned = Float32Array.from(weight);
    for (let row = 1; row < 64; row += 8) pruned.fill(0, row * 32, row * 32 + 32);
    const padding = Float32Array.from(weight).fill(0, 0, 32);
    const reports = drive([
      { name: "fc1.weight", dtype: "f32", shape: [64, 32], bytes: f32(pruned) },
      { name: "embed.weight", dtype: "f32", shape: [64, 32], bytes: f32(padding) },
    ]);
    expect(summary(reports)).toEqual([["pruned-rows", "stride"]]);
    expect(reports[0]!.data).toMatchObject({ zero: 8, rows: 64, first: 1, stride: 8 });
  });
});

describe("dtype-mismatch", () => {
  const config = (key: string, text: string): Fact => ({ kind: "text", key, text, role: "config" });
  const halfWeights = [{ name: "fc.weight", dtype: "f16" as const, shape: [64, 32], bytes: new Uint8Array(4096) }];

  it("accepts a matching torch_dtype and reports a contradicted one", () => {
    expect(drive(halfWeights, { facts: [config("torch_dtype", "float16")] })).toEqual([]);
    const reports = drive(halfWeights, { facts: [config("torch_dtype", "bfloat16")] });
    expect(summary(reports)).toEqual([["dtype-mismatch", "dtype"]]);
    expect(reports[0]!.data).toMatchObject({ claimed: "bfloat16", dominant: "f16", share: "0.0%" });
  });

  it("reports a quantization method over plain float weights, not over int8 ones", () => {
    const facts = [config("quantization_config.quant_method", "compressed-tensors")];
    expect(summary(drive(halfWeights, { facts }))).toEqual([["dtype-mismatch", "quantization"]]);
    expect(drive(int8Model(scales), { facts })).toEqual([]);
  });

  it("ignores configs without tensors beside them and keys that are not the top-level dtype", () => {
    expect(drive([], { facts: [config("torch_dtype", "float16")] })).toEqual([]);
    expect(drive(halfWeights, { facts: [config("text_config.torch_dtype", "float32")] })).toEqual([]);
  });
});

describe("bounds", () => {
  it("reports at most maxFindingsPerRule per rule and counts the rest", () => {
    const tensors = Array.from({ length: 5 }, (_, index) => ({
      name: `l${index}.weight_scale`,
      dtype: "f32" as const,
      shape: [2],
      bytes: f32([Number.NaN, 1]),
    }));
    const reports = drive(tensors, { options: { maxFindingsPerRule: 2 } });
    expect(summary(reports)).toEqual([
      ["broken-scale", "scales"],
      ["broken-scale", "scales"],
      ["broken-scale", "more"],
    ]);
    expect(reports[2]!.data).toEqual({ count: 3 });
  });

  it("gives the same verdicts whatever the chunk size", () => {
    const broken = Float32Array.from(scales);
    broken[3] = Number.NaN;
    expect(drive(int8Model(broken), { chunkSize: 7 })).toEqual(drive(int8Model(broken)));
  });
});

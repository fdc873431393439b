import type { Fact, ReportInput } from "@modelaudit/core";
import { driveDetector, parseWith, scanBytes, TEST_ORIGIN } from "@modelaudit/core/testing";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { weightsDetector } from "../src/weights-detector.js";
import { driveInOrder } from "./support/drive-in-order.js";
import { embedLowBytes, embedLsb, normalFloat32 } from "./support/random-weights.js";
import { buildSafetensors, float32Bytes, type TensorSpec } from "./support/safetensors.js";

const MiB = 1024 * 1024;
const ELF = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(56).fill(0)]);
const TEXT = Buffer.from("This sentence was written into the low byte of float weights across a chunk boundary");

/**
 * Tensors laid out so their data crosses the engine's 4 MiB chunks at odd offsets: a 3 MiB filler,
 * 7 bytes of F16 and U8 (so the next tensor starts at an odd offset), a tensor whose LSB payload
 * straddles 4 MiB, and one whose NaN and low-byte text straddle 8 MiB.
 */
function layout() {
  const shape = (): TensorSpec[] => [
    { name: "filler.weight", dtype: "F32", shape: [768, 1024], data: new Uint8Array(3 * MiB) },
    { name: "tiny.half", dtype: "F16", shape: [3], data: new Uint8Array(6) },
    { name: "tiny.byte", dtype: "U8", shape: [1], data: new Uint8Array(1) },
    { name: "payload.weight", dtype: "F32", shape: [262_144], data: new Uint8Array(MiB) },
    { name: "text.weight", dtype: "F32", shape: [1_179_648], data: new Uint8Array(4.5 * MiB) },
  ];
  const probe = buildSafetensors(shape());
  const headerEnd = 8 + Number(new DataView(probe.buffer).getBigUint64(0, true));
  const payloadStart = headerEnd + 3 * MiB + 7;
  const textStart = payloadStart + MiB;
  const tensors = shape();
  const filler = normalFloat32(768 * 1024, 11);
  (tensors[0] as TensorSpec).data = float32Bytes(filler);
  // The ELF header's bits start at the value whose bytes cross 4 MiB, minus a few values.
  const payload = normalFloat32(262_144, 12);
  const elfValue = Math.floor((4 * MiB - payloadStart) / 4) - 100;
  const elfAt = elfValue - (elfValue % 8);
  embedLsb(payload, ELF, elfAt);
  (tensors[3] as TensorSpec).data = float32Bytes(payload);
  const text = normalFloat32(1_179_648, 13);
  const crossing = Math.floor((8 * MiB - textStart) / 4);
  text[crossing] = Number.NaN;
  embedLowBytes(text, TEXT, crossing - 40);
  (tensors[4] as TensorSpec).data = float32Bytes(text);
  const bytes = buildSafetensors(tensors);
  expect(payloadStart % 2).toBe(1);
  expect(payloadStart + elfAt * 4 < 4 * MiB && payloadStart + (elfAt + ELF.length * 8) * 4 > 4 * MiB).toBe(true);
  return { bytes, payloadStart, elfAt, textStart, crossing };
}

function summarize(reports: readonly Pick<ReportInput, "rule" | "messageId" | "location">[]) {
  return reports
    .map((report) => `${report.rule}:${report.messageId}@${report.location?.path}+${report.location?.offset}`)
    .sort();
}

describe("tensor data split across chunks", () => {
  const built = layout();
  const expected = [
    `hidden-payload:signature@payload.weight+${built.payloadStart + built.elfAt * 4}`,
    `hidden-payload:text@text.weight+${built.textStart + (built.crossing - 40) * 4}`,
    `non-finite-weights:found@text.weight+${built.textStart}`,
  ].sort();

  it("finds the payloads through the engine's 4 MiB chunks at odd offsets", async () => {
    const report = await scanBytes("model.safetensors", built.bytes, [safetensors, plugin], { level: "thorough" });
    expect(report.files[0]?.reasons).toEqual([]);
    const findings = report.findings.map((finding) => ({
      rule: finding.ruleId.slice("weights/".length),
      messageId: finding.messageId,
      location: finding.location,
    }));
    expect(summarize(findings)).toEqual(expected);
  });

  it("finds the same with small, odd chunk sizes", async () => {
    const { facts } = await parseWith(safetensors.formats, "model.safetensors", built.bytes);
    for (const chunkSize of [4093, 65_537, MiB + 3]) {
      const reports = driveInOrder(weightsDetector, { facts, bytes: built.bytes, chunkSize });
      expect(summarize(reports), `chunks of ${chunkSize}`).toEqual(expected);
    }
  });

  it("handles one-byte chunks", () => {
    const values = normalFloat32(8192, 14);
    embedLsb(values, ELF, 64);
    values[5000] = Number.POSITIVE_INFINITY;
    const data = float32Bytes(values);
    const bytes = new Uint8Array(13 + data.length);
    bytes.set(data, 13);
    const facts: Fact[] = [
      { kind: "tensor", name: "w", dtype: "F32", shape: [8192], dataOffset: 13, dataLength: data.length },
    ];
    const reports = driveInOrder(weightsDetector, { facts, bytes, chunkSize: 1 });
    expect(summarize(reports)).toEqual(["hidden-payload:signature@w+269", "non-finite-weights:found@w+13"]);
  });

  it("leaves a tensor whose bytes did not all arrive unjudged", () => {
    const values = normalFloat32(8192, 15);
    values[0] = Number.NaN;
    const bytes = float32Bytes(values);
    const facts: Fact[] = [
      { kind: "tensor", name: "w", dtype: "F32", shape: [8192, 2], dataOffset: 0, dataLength: bytes.length * 2 },
    ];
    expect(driveInOrder(weightsDetector, { facts, bytes, chunkSize: 4096 })).toEqual([]);
  });

  it("judges declared tensors only: raw bytes without tensor facts give nothing", () => {
    const values = normalFloat32(8192, 16);
    embedLsb(values, ELF, 0);
    values[1] = Number.NaN;
    expect(
      driveDetector(weightsDetector, { sources: [float32Bytes(values)], level: "thorough", chunkSize: 333 }),
    ).toEqual([]);
  });

  it("skips quantized, integer, big-endian and untyped tensors", () => {
    const bytes = new Uint8Array(65_536).fill(0xff);
    const facts: Fact[] = ["Q4_K", "I32", ">f4", "storage", "F8_E4M3"].map((dtype, index) => ({
      kind: "tensor",
      name: `t${index}`,
      dtype,
      shape: [4096],
      dataOffset: 0,
      dataLength: 16_384,
    }));
    expect(driveInOrder(weightsDetector, { facts, bytes, chunkSize: 4096 })).toEqual([]);
  });

  it("judges many small tensors that share one chunk (a checkpoint's biases and norms)", () => {
    const values = normalFloat32(200 * 64, 18);
    values[150 * 64 + 5] = Number.NaN;
    const bytes = float32Bytes(values);
    const facts: Fact[] = Array.from({ length: 200 }, (_, index) => ({
      kind: "tensor",
      name: `layer${index}.bias`,
      dtype: "F32",
      shape: [64],
      dataOffset: index * 256,
      dataLength: 256,
    }));
    const inconclusive: string[] = [];
    const reports: ReportInput[] = [];
    const run = weightsDetector.create({
      report: (report) => reports.push(report),
      inconclusive: (reason) => inconclusive.push(reason),
      options: {},
      level: "thorough",
    });
    for (const fact of facts) run.onFact?.(fact, TEST_ORIGIN);
    run.onBytes?.(bytes, 0, TEST_ORIGIN);
    run.onBytesEnd?.(TEST_ORIGIN);
    expect(inconclusive).toEqual([]);
    expect(summarize(reports)).toEqual(["non-finite-weights:found@layer150.bias+38400"]);
  });

  it("bounds overlapping tensors: the work stays proportional to the bytes", () => {
    const values = normalFloat32(65_536, 17);
    values[3] = Number.NaN;
    const bytes = float32Bytes(values);
    const facts: Fact[] = Array.from({ length: 1000 }, (_, index) => ({
      kind: "tensor",
      name: `alias${index}`,
      dtype: "F32",
      shape: [65_536],
      dataOffset: 0,
      dataLength: bytes.length,
    }));
    const started = performance.now();
    const reports = driveInOrder(weightsDetector, { facts, bytes, chunkSize: 65_536 });
    expect(performance.now() - started).toBeLessThan(30_000);
    // 16 tensors read at once, at most 100 findings per rule listed (no overflow here).
    expect(reports.filter((report) => report.rule === "non-finite-weights")).toHaveLength(16);
  });
});

import type { ReportInput } from "@modelaudit/core";
import { driveDetector, scanBytes } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { weightsDetector } from "../src/weights-detector.js";
import { driveTensors } from "./support/drive-tensors.js";
import { embedLowBytes, embedLsb, normalFloat32 } from "./support/random-weights.js";
import { buildSafetensors, float32Bytes, type TensorSpec } from "./support/safetensors.js";

const MiB = 1024 * 1024;
/** A minimal 64-bit little-endian ELF header for x86-64 (what the ELF sniffer checks). */
const ELF = Uint8Array.from([
  0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0, 0x78, 0, 0x40, 0, 0, 0, 0, 0,
  0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x38, 0, 1, 0, 0, 0, 0, 0, 0, 0,
]);
const TEXT = Buffer.from("This sentence was written into the low byte of float weights across a chunk boundary");
const plugins = [safetensors, archive, executable, plugin];

/**
 * Tensors laid out so their data crosses the engine's 4 MiB chunks at odd offsets: a 3 MiB filler,
 * 7 bytes of F16 and U8 (so the next tensor starts at an odd offset), a tensor whose LSB payload (a
 * whole ELF header: the sniffer validates all 64 bytes) straddles 4 MiB, and one whose NaN and
 * low-byte text straddle 8 MiB.
 */
function layout() {
  const shape = (): TensorSpec[] => [
    { name: "filler.weight", dtype: "F32", shape: [768, 1024], data: new Uint8Array(3 * MiB) },
    { name: "tiny.half", dtype: "F16", shape: [3], data: new Uint8Array(6) },
    { name: "tiny.byte", dtype: "U8", shape: [1], data: new Uint8Array(1) },
    { name: "payload.weight", dtype: "F32", shape: [524_288], data: new Uint8Array(2 * MiB) },
    { name: "text.weight", dtype: "F32", shape: [1_179_648], data: new Uint8Array(4.5 * MiB) },
  ];
  const probe = buildSafetensors(shape());
  const headerEnd = 8 + Number(new DataView(probe.buffer).getBigUint64(0, true));
  const payloadStart = headerEnd + 3 * MiB + 7;
  const textStart = payloadStart + 2 * MiB;
  const tensors = shape();
  (tensors[0] as TensorSpec).data = float32Bytes(normalFloat32(768 * 1024, 11));
  // The ELF header's bits start at the value whose bytes cross 4 MiB, minus a few values.
  const payload = normalFloat32(524_288, 12);
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
  return { bytes, payloadStart, elfAt, textStart, crossing, payload, text };
}

/**
 * `rule:message@tensor+offset`. A text run may start a few values early when a random value just before
 * the embedded text has a printable low byte: `textAt` snaps such starts to where the text was written.
 */
function summarize(reports: readonly Pick<ReportInput, "rule" | "messageId" | "location">[], textAt?: number) {
  return reports
    .map((report) => {
      let offset = report.location?.offset ?? -1;
      if (report.messageId === "text" && textAt !== undefined && offset <= textAt && offset >= textAt - 16 * 4) {
        offset = textAt;
      }
      return `${report.rule}:${report.messageId}@${report.location?.path}+${offset}`;
    })
    .sort();
}

describe("tensor data through the engine's channel", () => {
  const built = layout();

  it("finds the payloads through the engine's 4 MiB chunks at odd offsets", async () => {
    const report = await scanBytes("model.safetensors", built.bytes, plugins, { level: "thorough" });
    expect(report.files[0]?.reasons).toEqual([]);
    const findings = report.findings.map((finding) => ({
      rule: finding.ruleId.slice("weights/".length),
      messageId: finding.messageId,
      location: finding.location,
    }));
    expect(summarize(findings, built.textStart + (built.crossing - 40) * 4)).toEqual(
      [
        `hidden-payload:signature@payload.weight+${built.payloadStart + built.elfAt * 4}`,
        `hidden-payload:text@text.weight+${built.textStart + (built.crossing - 40) * 4}`,
        `non-finite-weights:found@text.weight+${built.textStart}`,
      ].sort(),
    );
    expect(report.findings.find((finding) => finding.messageId === "signature")?.message).toMatch(/an ELF executable/);
  });

  it("finds the same whatever the chunk sizes, one byte included", () => {
    const tensors = [
      { name: "payload.weight", dtype: "f32" as const, bytes: float32Bytes(built.payload) },
      { name: "text.weight", dtype: "f32" as const, bytes: float32Bytes(built.text) },
    ];
    for (const chunkSize of [4093, 65_537, MiB + 3]) {
      const reports = driveTensors(tensors, chunkSize);
      expect(summarize(reports, (built.crossing - 40) * 4), `chunks of ${chunkSize}`).toEqual([
        `hidden-payload:signature@payload.weight+${built.elfAt * 4}`,
        `hidden-payload:text@text.weight+${(built.crossing - 40) * 4}`,
        "non-finite-weights:found@text.weight+0",
      ]);
    }
    const values = normalFloat32(8192, 14);
    embedLsb(values, ELF, 64);
    values[5000] = Number.POSITIVE_INFINITY;
    expect(summarize(driveTensors([{ name: "w", dtype: "f32", bytes: float32Bytes(values) }], 1))).toEqual([
      "hidden-payload:signature@w+256",
      "non-finite-weights:found@w+0",
    ]);
  });

  it("reads big-endian floats as the engine delivers them, little-endian", () => {
    const values = normalFloat32(4096, 19);
    values[7] = Number.NaN;
    const little = float32Bytes(values);
    const big = new Uint8Array(little.length);
    for (let index = 0; index < little.length; index += 4) big.set(little.subarray(index, index + 4).reverse(), index);
    expect(summarize(driveTensors([{ name: "be", dtype: "f32", bytes: big, byteOrder: "big" }]))).toEqual([
      "non-finite-weights:found@be+0",
    ]);
  });

  it("leaves a tensor whose bytes did not all arrive unjudged", async () => {
    const values = normalFloat32(8192, 15);
    values[0] = Number.NaN;
    const data = float32Bytes(values);
    const tensors: TensorSpec[] = [{ name: "w", dtype: "F32", shape: [8192, 2], data }];
    // The header declares twice the bytes the file holds.
    const bytes = buildSafetensors(tensors, { declaredLength: data.length * 2 });
    const report = await scanBytes("model.safetensors", bytes, plugins, { level: "thorough" });
    expect(report.findings.filter((finding) => finding.ruleId.startsWith("weights/"))).toEqual([]);
    expect(report.files[0]?.outcome).toBe("inconclusive");
  });

  it("judges tensors only: raw bytes without tensors give nothing", () => {
    const values = normalFloat32(8192, 16);
    embedLsb(values, ELF, 0);
    values[1] = Number.NaN;
    const sources = [float32Bytes(values)];
    expect(driveDetector(weightsDetector, { sources, level: "thorough", chunkSize: 333 })).toEqual([]);
  });

  it("reads float tensors only: integer, quantized and opaque data are not offered", () => {
    const bytes = new Uint8Array(16_384).fill(0xff);
    const reports = driveTensors(
      (["q8_0", "i32", "u8", "opaque"] as const).map((dtype, index) => ({ name: `t${index}`, dtype, bytes })),
    );
    expect(reports).toEqual([]);
  });

  it("judges many small tensors (a checkpoint's biases and norms) each on its own", () => {
    const tensors = Array.from({ length: 200 }, (_, index) => {
      const values = normalFloat32(64, 1000 + index);
      if (index === 150) values[5] = Number.NaN;
      return { name: `layer${index}.bias`, dtype: "f32" as const, bytes: float32Bytes(values) };
    });
    expect(summarize(driveTensors(tensors))).toEqual(["non-finite-weights:found@layer150.bias+0"]);
  });
});

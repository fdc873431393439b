import type { FormatHandler, ReportInput, TensorDType, TensorFact } from "@modelaudit/core";
import { driveDetector } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";
import { weightsDetector } from "../../src/weights-detector.js";

/** The sniffers `identify` asks in these tests: what the recommended preset registers for extracted bytes. */
export const IDENTIFY_WITH: readonly FormatHandler[] = [
  ...(archive.formats ?? []),
  ...(executable.formats ?? []),
  ...(pickle.formats ?? []),
];

export interface TensorInput {
  name: string;
  dtype: TensorDType;
  bytes: Uint8Array;
  shape?: number[];
  byteOrder?: "little" | "big";
}

export function tensorFact(input: TensorInput, elementBytes: number): TensorFact {
  return {
    kind: "tensor",
    name: input.name,
    dtype: input.dtype,
    formatDtype: input.dtype.toUpperCase(),
    shape: input.shape ?? [Math.floor(input.bytes.length / elementBytes)],
    byteOrder: input.byteOrder ?? "little",
  };
}

/** Drives the weights detector through the tensor channel's alignment, in chunks of `chunkSize`. */
export function driveTensors(tensors: readonly TensorInput[], chunkSize = 4 * 1024 * 1024): ReportInput[] {
  const widths: Partial<Record<TensorDType, number>> = { f64: 8, f32: 4, f16: 2, bf16: 2 };
  return driveDetector(weightsDetector, {
    tensors: tensors.map((input) => ({ fact: tensorFact(input, widths[input.dtype] ?? 1), bytes: input.bytes })),
    chunkSize,
    level: "thorough",
    identifyWith: IDENTIFY_WITH,
  });
}

import { type AnomalyCode, LimitError, TimeLimitError } from "@modelaudit/core";
import { describeError } from "./bounds.js";
import { CorruptDataError, OutputLimitError, TruncatedDataError, UnsupportedFeatureError } from "./decode-errors.js";
import { type OutputBounds, OutputBuffer } from "./output-buffer.js";

export interface DecodeProblem {
  reason: string;
  /** The structural anomaly behind the problem, when the bytes themselves are at fault. */
  anomaly?: AnomalyCode;
}

export interface DecodeOutcome {
  /** Everything decoded, complete or not: a prefix still deserves a scan. */
  bytes: Uint8Array;
  problem?: DecodeProblem;
}

/**
 * Runs a decoder into a bounded output and turns every way it can stop into data. Only the
 * deadline escapes: the engine must stop the whole artifact then.
 */
export async function runDecoder(
  bounds: OutputBounds,
  decode: (output: OutputBuffer) => Promise<void> | void,
): Promise<DecodeOutcome> {
  const output = new OutputBuffer(bounds);
  let problem: DecodeProblem | undefined;
  try {
    await decode(output);
  } catch (error) {
    if (TimeLimitError.isInstance(error)) throw error;
    problem = classify(error);
  }
  let bytes: Uint8Array;
  try {
    bytes = output.result();
  } catch (error) {
    if (TimeLimitError.isInstance(error)) throw error;
    bytes = output.bytes.subarray(0, output.length);
    problem ??= classify(error);
  }
  return problem ? { bytes, problem } : { bytes };
}

/** Why a decoder stopped, as data; the deadline is the caller's to rethrow first. */
export function classify(error: unknown): DecodeProblem {
  const reason = describeError(error);
  if (error instanceof OutputLimitError) return { reason: `stopped decoding: ${reason}`, anomaly: "limit-exceeded" };
  if (LimitError.isInstance(error)) return { reason: `stopped decoding: ${reason}` };
  if (error instanceof TruncatedDataError) return { reason, anomaly: "truncated" };
  if (error instanceof CorruptDataError) return { reason, anomaly: "malformed" };
  if (error instanceof UnsupportedFeatureError) return { reason };
  if (error instanceof RangeError) return { reason: `could not decode: ${reason}` };
  return { reason: `could not decode: ${reason}`, anomaly: "malformed" };
}

import type { ParseContext, TensorFact } from "@modelaudit/core";
import { tensorDType } from "./dtypes.js";
import { type HeaderProblem, MAX_HEADER_BYTES, readHeader, type TensorEntry } from "./header.js";
import { LENGTH_FIELD } from "./header-start.js";

/** The parse of {@link safetensorsHandler}, imported on the first safetensors file. */
export async function parseSafetensors(context: ParseContext): Promise<void> {
  const result = await readHeader(context.source, Math.min(context.limits.maxInMemoryBytes, MAX_HEADER_BYTES));
  if (!result.ok) {
    report(context, [result.problem]);
    return;
  }
  const { header } = result;
  const dataStart = LENGTH_FIELD + header.headerLength;
  for (const { name, value } of header.metadata) {
    context.emit({
      kind: "text",
      text: value,
      key: `__metadata__.${name}`,
      role: "metadata",
      location: { path: `__metadata__.${name}` },
    });
  }
  for (const [index, name] of header.tensorNames.entries()) {
    if (index % 4096 === 0) context.checkDeadline();
    context.emit({ kind: "text", text: name, role: "name", location: { path: name } });
  }
  for (const [index, tensor] of header.tensors.entries()) {
    if (index % 4096 === 0) context.checkDeadline();
    context.emit(tensorFact(tensor, dataStart, context.source.size));
  }
  report(context, header.problems);
}

/**
 * The tensor as core declares it. The header check has already matched the byte length to dtype ×
 * shape; the data range is left out when it does not lie inside the file (the layout check reports
 * that as an anomaly and the file as refused), so nothing past the end is ever read as a tensor.
 */
function tensorFact(tensor: TensorEntry, dataStart: number, fileSize: number): TensorFact {
  const fact: TensorFact = {
    kind: "tensor",
    name: tensor.name,
    dtype: tensorDType(tensor.dtype),
    formatDtype: tensor.dtype,
    shape: tensor.shape,
    byteOrder: "little",
    location: { path: tensor.name },
  };
  const offset = BigInt(dataStart) + tensor.begin;
  const length = tensor.end - tensor.begin;
  if (offset + length <= BigInt(fileSize)) {
    fact.data = { offset: Number(offset), length: Number(length) };
    fact.location = { path: tensor.name, offset: Number(offset) };
  }
  return fact;
}

/** Emits one anomaly per problem and marks the source inconclusive when a loader would refuse it. */
export function report(
  context: ParseContext,
  problems: readonly HeaderProblem[],
  label = "safetensors header rejected",
): void {
  const refusals: string[] = [];
  for (const problem of problems) {
    const location: { path?: string; offset?: number } = {};
    if (problem.path !== undefined) location.path = problem.path;
    if (problem.offset !== undefined) location.offset = problem.offset;
    context.emit({ kind: "anomaly", code: problem.code, message: problem.message, location });
    if (problem.rejects) refusals.push(problem.message);
  }
  if (refusals.length > 0) {
    const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more problems)` : "";
    context.inconclusive(`${label}: ${refusals[0]}${more}`);
  }
}

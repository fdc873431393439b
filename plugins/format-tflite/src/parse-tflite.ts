import type { ParseContext } from "@modelaudit/core";
import { FlatbufferError, FlatbufferView } from "./flatbuffer-view.js";
import { ProblemList, reportProblems } from "./problems.js";
import { TfliteModelReader } from "./tflite-model.js";

/** Reads a TFLite model's operators, tensors, buffers and metadata. */
export async function parseTflite(context: ParseContext): Promise<void> {
  const { source } = context;
  // The flatbuffer must be in memory to follow its offsets; past the limit only a prefix is read
  // and references beyond it are reported as a limit.
  const length = Math.min(source.size, context.limits.maxInMemoryBytes);
  const bytes = await source.read(0, length);
  const problems = new ProblemList();
  try {
    new TfliteModelReader(new FlatbufferView(bytes, source.size), context, problems).read();
  } catch (error) {
    if (!(error instanceof FlatbufferError)) throw error;
    problems.add({ code: error.code, message: error.message, offset: error.offset });
  }
  reportProblems(context, problems);
}

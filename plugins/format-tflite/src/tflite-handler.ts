import { FORMATS, type FormatHandler, type ParseContext, type SniffInput } from "@modelaudit/core";
import { FlatbufferError, FlatbufferView } from "./flatbuffer-view.js";
import { ProblemList, reportProblems } from "./problems.js";
import { TfliteModelReader } from "./tflite-model.js";

const IDENTIFIER = [0x54, 0x46, 0x4c, 0x33]; // "TFL3" after the root offset

/** TFLite flatbuffer models: operator codes, custom operators and their options, tensors, metadata. */
export const tfliteHandler: FormatHandler = {
  id: FORMATS.tflite,
  description: "TFLite flatbuffer models: operators (builtin and custom), tensors, buffers and metadata",
  sniff(input: SniffInput): boolean {
    // The identifier alone decides: a root offset outside the file is a broken model, not another format.
    return input.size >= 8 && IDENTIFIER.every((byte, index) => input.head[4 + index] === byte);
  },
  async parse(context: ParseContext): Promise<void> {
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
  },
};

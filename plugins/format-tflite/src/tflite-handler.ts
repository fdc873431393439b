import { FORMATS, type FormatHandler, type ParseContext, type SniffInput } from "@modelaudit/core";

const IDENTIFIER = [0x54, 0x46, 0x4c, 0x33]; // "TFL3" after the root offset

/** TFLite flatbuffer models: operator codes, custom operators and their options, tensors, metadata. */
export const tfliteHandler: FormatHandler = {
  id: FORMATS.tflite,
  description: "TFLite flatbuffer models: operators (builtin and custom), tensors, buffers and metadata",
  sniff(input: SniffInput): boolean {
    // The identifier alone decides: a root offset outside the file is a broken model, not another format.
    return input.size >= 8 && IDENTIFIER.every((byte, index) => input.head[4 + index] === byte);
  },
  // The reader (and the flatbuffers runtime) is imported on the first TFLite file, not at start-up.
  async parse(context: ParseContext): Promise<void> {
    const { parseTflite } = await import("./parse-tflite.js");
    await parseTflite(context);
  },
};

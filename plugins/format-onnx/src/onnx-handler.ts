import { FORMATS, type FormatHandler, type ParseContext, type SniffInput } from "@modelaudit/core";
import { sniffOnnx } from "./sniff.js";

/** ONNX ModelProto: nodes of every graph and function, initializers, external data, metadata. */
export const onnxHandler: FormatHandler = {
  id: FORMATS.onnx,
  description: "ONNX models: operators of the main graph, subgraphs and local functions, initializers, metadata",
  sniff(input: SniffInput): boolean {
    return sniffOnnx(input);
  },
  // The decoder (protobufjs and the ONNX schema) is imported on the first ONNX file, not at start-up.
  async parse(context: ParseContext): Promise<void> {
    const { parseOnnx } = await import("./parse-onnx.js");
    await parseOnnx(context);
  },
};

/**
 * `@modelaudit/format-onnx/parse`: parsing helpers of the ONNX handler, for reuse. A subpath of its
 * own so that the plugin's entry stays small: the handler imports its parser only when it parses a file.
 */
export { escapesModelDirectory } from "./external-data.js";

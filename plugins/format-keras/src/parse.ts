/**
 * `@modelaudit/format-keras/parse`: the parsing code of the Keras handlers, for reuse (marshal
 * reader, bytecode summaries, Lambda decoding, the config walker). A subpath of its own so that the
 * plugin's entry stays small: the handlers import it only when they parse a file.
 */
export { collectNames, summarizeCode } from "./code-summary.js";
export { ConfigWalker } from "./config-walker.js";
export { decodeLambda } from "./lambda-code.js";
export {
  type CodeLayout,
  type CodeObject,
  MarshalError,
  type MarshalValue,
  readMarshal,
  readMarshalCode,
} from "./marshal-reader.js";

/**
 * `@modelaudit/format-xgboost/parse`: the UBJSON reader of the XGBoost handlers, for reuse. A subpath
 * of its own so that the plugin's entry stays small: the handlers import it only when they parse a file.
 */
export { readUbjson, type UbjsonDocument, UbjsonProblem, type UbjsonValue } from "./ubjson-reader.js";

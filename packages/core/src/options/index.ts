/**
 * `@modelaudit/core/options`: zod and the helpers plugin authors build their options schema with,
 * kept apart from `@modelaudit/core/detector` so that a scan without options never loads zod. Import
 * it only from the module that holds the schema, which the plugin loads lazily (`optionsSchema:
 * () => import("./options-schema.js").then((module) => module.optionsSchema)`), and from tests.
 */
export {
  allowEntry,
  expected,
  flag,
  type OptionsSchema,
  optionProblems,
  optionsJsonSchema,
  positiveInteger,
  positiveNumber,
  regExpProblem,
  z,
} from "../option-schema.js";
export { loadOptionsSchema, type OptionsSchemaSource } from "../options-loader.js";

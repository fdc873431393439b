/**
 * `@modelaudit/core`: the plugin contract, what a plugin author implements against: the plugin,
 * handler and detector shapes, facts, findings, the tensor vocabulary, sources, limits and scan
 * levels. Running scans is `@modelaudit/core/engine`; parsing helpers for format authors are
 * `@modelaudit/core/format`, evidence helpers for detector authors `@modelaudit/core/detector`,
 * and the helpers options schemas are built with (zod) `@modelaudit/core/options`.
 */

export { API_VERSION, apiVersionProblem, SUPPORTED_API_VERSIONS } from "./api-version.js";
export * from "./facts.js";
export {
  atOrAbove,
  type Check,
  type CheckStatus,
  compareSeverity,
  type Finding,
  isSeverity,
  SEVERITIES,
  type Severity,
} from "./findings.js";
export { FORMATS, type FormatId, type FormatLabel } from "./formats.js";
export { type DetectorDescriptor, lazyDetector } from "./lazy-detector.js";
export * from "./limits.js";
export type { OptionsSchema } from "./option-schema.js";
export type { OptionsSchemaSource } from "./options-loader.js";
export {
  type ArtifactSummary,
  type Detector,
  type DetectorContext,
  type DetectorRun,
  definePlugin,
  definePreset,
  defineRule,
  type FormatHandler,
  type Identified,
  type IdentifyOptions,
  type IdentifyResult,
  type NoteInput,
  type Origin,
  type ParseContext,
  type Plugin,
  type PluginMeta,
  type Preset,
  type PrintableString,
  type ReportInput,
  type Rule,
  type RuleMeta,
  type ScanLevel,
  type SniffInput,
  type TensorConsumer,
  type TensorStream,
  type TensorSubscription,
  validatePlugin,
} from "./plugin.js";
export * from "./references.js";
export type { MemberDigest } from "./report.js";
export { type NamedRule, ruleNames, rulesByName } from "./rule-list.js";
export { BufferSource, FileSource, SliceSource, type Source } from "./source.js";
export * from "./tensors.js";

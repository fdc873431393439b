export { describeLocation, describeMemberChain } from "./describe-location.js";
export { escapeData, escapeProperty, type GithubOptions, toGithub } from "./github.js";
export { canonicalReport, compactReport, type JsonOptions, toJson } from "./json.js";
export { REPORT_FORMATS, type RenderOptions, type ReportFormat, renderReport } from "./render-report.js";
export {
  hasRuleDocPage,
  pluginRules,
  RULE_DOCS_BASE_URL,
  RULE_DOCS_DIRECTORY,
  RULE_TABLE_END,
  RULE_TABLE_START,
  type RuleDocInput,
  renderRuleDocs,
  renderRuleMarkdown,
  renderRulesIndex,
  renderRulesTable,
  renderRuleText,
  ruleDocPath,
  ruleDocsUrl,
  ruleRationale,
  ruleSummary,
  withRuleDocsUrls,
  withRulesTable,
} from "./rule-docs.js";
export {
  artifactLocationFor,
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  SARIF_TOOL_NAME,
  type SarifLog,
  type SarifOptions,
  type SarifRegion,
  type SarifResult,
  type SarifRule,
  type SarifRuleInfo,
  toSarif,
  toSarifLog,
} from "./sarif.js";
export { printable, summaryLine, type TextOptions, toText } from "./text.js";

/** Version of @modelaudit/report. */
export const REPORT_PACKAGE_VERSION: string = __PACKAGE_VERSION__;

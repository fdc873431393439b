import type { Report } from "@modelaudit/core/engine";
import { type GithubOptions, toGithub } from "./github.js";
import { type JsonOptions, toJson } from "./json.js";
import { type SarifOptions, toSarif } from "./sarif.js";
import { type TextOptions, toText } from "./text.js";

export type ReportFormat = "json" | "text" | "sarif" | "github";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "github"];

export type RenderOptions = TextOptions & SarifOptions & GithubOptions & JsonOptions;

/** Renders a report in one of the supported formats; each output ends with a newline. */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case "json":
      return toJson(report, options);
    case "sarif":
      return toSarif(report, options);
    case "text":
      return toText(report, options);
    case "github":
      return toGithub(report, options);
  }
}

import type { Severity } from "@modelaudit/core";
import type { SourcePosition } from "./source-position.js";

export type TemplateRule = "sandbox-escape" | "obfuscation" | "unparsable-template";

/** One problem in one template, before it becomes a finding. */
export interface TemplateIssue {
  rule: TemplateRule;
  messageId: string;
  /** Message data without `position`, which the detector fills from `position`. */
  data: Record<string, string | number>;
  /** The construct, rendered back to template text, as evidence. */
  construct: string;
  position?: SourcePosition;
  severity?: Severity;
  confidence?: number;
}

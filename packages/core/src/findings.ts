import type { Location } from "./facts.js";
import type { Reference } from "./references.js";

export type Severity = "critical" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };

/** True when `severity` is at or above `threshold`. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

export function isSeverity(value: unknown): value is Severity {
  return value === "critical" || value === "warning" || value === "info";
}

/** One problem found in one artifact. */
export interface Finding {
  /** `<namespace>/<rule>`, stable public API. */
  ruleId: string;
  severity: Severity;
  /** 0..1: how sure the detector is that this is what the rule says. */
  confidence: number;
  /** The detector that reported it. */
  detector: string;
  messageId: string;
  message: string;
  /** Top-level file path as given on the command line (or found under a given directory). */
  file: string;
  /** Archive members / embedded streams from the file down to where the finding sits. */
  memberChain: string[];
  location?: Location;
  /** Redacted evidence: never a full secret. */
  evidence?: string;
  remediation: string;
  /** The rule's references, structured (see `Reference`). */
  references: Reference[];
}

export type CheckStatus = "passed" | "failed" | "skipped";

/** A rule that was (or could not be) applied to an artifact. */
export interface Check {
  ruleId: string;
  file: string;
  status: CheckStatus;
  /** Number of findings behind a failed check. */
  findings: number;
  /** Why a check was skipped. */
  reason?: string;
  /** What the check verified (a signature's signer, a digest listed as benign), from the detector (schema 2.2). */
  notes?: string[];
}

/**
 * Redacts a sensitive value for evidence: keeps a few characters at each end so a person can find
 * it, never the middle.
 */
export function redact(value: string, keep = 4): string {
  if (value.length <= keep * 2 + 2) return `${value.slice(0, 1)}${"*".repeat(Math.max(3, value.length - 1))}`;
  return `${value.slice(0, keep)}…${"*".repeat(6)}…${value.slice(-keep)}`;
}

/** Bounds a string for display in evidence and messages. */
export function truncateText(value: string, max = 200): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} chars)`;
}

/** The 1-based line of `text` that holds character `index`, for locations in code and configs. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (
    let position = text.indexOf("\n");
    position !== -1 && position < index;
    position = text.indexOf("\n", position + 1)
  ) {
    line++;
  }
  return line;
}

import type { Severity } from "@modelaudit/core";
import { CONTENT_CLASS, type ContentClass, EXTENSION_TABLE } from "./extension-table.js";

export interface Mismatch {
  /** The content label that contradicts the name. */
  content: string;
  promises: string;
  severity: Severity;
}

const RANK: Record<ContentClass, number> = { executable: 4, code: 3, script: 2, data: 1 };

export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/**
 * Judges content labels against a name. Normal when any label is one the extension expects (a
 * NumPy file that also holds a pickle is still a NumPy file), unless native code sits at the start.
 */
export function judgeExtension(name: string, labels: readonly string[]): Mismatch | null {
  const expectation = EXTENSION_TABLE[extensionOf(name)];
  if (!expectation) return null;
  const known = labels.filter((label) => CONTENT_CLASS[label] !== undefined);
  if (known.length === 0) return null;
  const worst = known.reduce((left, right) =>
    RANK[CONTENT_CLASS[right] as ContentClass] > RANK[CONTENT_CLASS[left] as ContentClass] ? right : left,
  );
  const worstClass = CONTENT_CLASS[worst] as ContentClass;
  if (worstClass !== "executable" && known.some((label) => expectation.expected.includes(label))) return null;
  if (worstClass === "executable" && expectation.expected.includes(worst)) return null;
  const severity: Severity =
    worstClass === "executable" || (worstClass === "code" && expectation.dataOnly) ? "critical" : "warning";
  return { content: worst, promises: expectation.promises, severity };
}

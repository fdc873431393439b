import type { AnomalyCode, ParseContext, TextFact } from "@modelaudit/core";

/** Most text facts one model emits; a model with more strings than this is not judged in full. */
export const MAX_TEXT_FACTS = 200_000;

/**
 * Collects what a model parser saw, then hands it to the context: text facts as they come,
 * anomalies once, and one inconclusive reason when the structure could not be trusted.
 */
export class ModelReport {
  private texts = 0;
  private textsDropped = false;
  /** Anomalies that mean a loader would reject or misread the file. */
  readonly blocking: string[] = [];

  constructor(private readonly context: ParseContext) {}

  text(text: string, key: string, role: TextFact["role"]): void {
    if (text.length === 0) return;
    if (++this.texts > MAX_TEXT_FACTS) {
      if (!this.textsDropped) {
        this.textsDropped = true;
        this.anomaly("limit-exceeded", `more than ${MAX_TEXT_FACTS} strings; the rest were not emitted`, key, true);
      }
      return;
    }
    this.context.emit({ kind: "text", text, key, role, location: { path: key } });
  }

  /** `blocking` anomalies make the artifact inconclusive; others are only facts. */
  anomaly(code: AnomalyCode, message: string, path?: string, blocking = true, offset?: number): void {
    const location: { path?: string; offset?: number } = {};
    if (path !== undefined) location.path = path;
    if (offset !== undefined) location.offset = offset;
    this.context.emit({ kind: "anomaly", code, message, location });
    if (blocking) this.blocking.push(path ? `${message} (at ${path})` : message);
  }

  /** Marks the artifact inconclusive when anything blocking was seen. */
  finish(what: string): void {
    if (this.blocking.length === 0) return;
    const shown = this.blocking.slice(0, 3).join("; ");
    const more = this.blocking.length > 3 ? ` (+${this.blocking.length - 3} more)` : "";
    this.context.inconclusive(`${what}: ${shown}${more}`);
  }
}

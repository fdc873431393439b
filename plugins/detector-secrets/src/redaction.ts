import { redact } from "@modelaudit/core/detector";

/** Core's redaction, keeping fewer characters of short values: a password shows at most a quarter of itself. */
export function redactSecret(value: string): string {
  return redact(value, Math.max(1, Math.min(4, Math.floor(value.length / 8))));
}

import { truncateText } from "@modelaudit/core/detector";

/**
 * Makes a string from a hostile file safe to print: control, bidirectional-override and
 * zero-width characters become \u escapes (they could forge terminal output or hide text), and
 * the length is bounded.
 */
export function displayName(text: string, max = 160): string {
  const escaped = text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return truncateText(escaped, max);
}

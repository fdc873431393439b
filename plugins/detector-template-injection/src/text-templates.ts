import type { TextFact } from "@modelaudit/core";

/**
 * Jinja inside an ordinary string field (a metadata value, a config string, a prompt template in a
 * pipeline config, a template file sniffed by content): a tag on one line, `{{ ... }}` or `{% ... %}`.
 * Tokens are never templates; `{{` and `}}` on different lines of a vocabulary are not one tag.
 */
const TAG = /\{\{[^\n]{0,4096}?\}\}|\{%[^\n]{0,4096}?%\}/;

/** How a template found in text is weighed: documentation (a model card showing a template) is only noted. */
export type TemplateSetting = "value" | "documentation";

export function templateSetting(fact: TextFact): TemplateSetting | undefined {
  if (fact.role === "vocabulary" || fact.role === "name") return undefined;
  if (!TAG.test(fact.text)) return undefined;
  return fact.role === "documentation" ? "documentation" : "value";
}

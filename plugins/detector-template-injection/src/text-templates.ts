import type { TextFact } from "@modelaudit/core";

/** Longest tag looked for; chat-template tags are far shorter. */
const MAX_TAG_CHARS = 4096;

/**
 * True when the text holds a Jinja tag on one line, `{{ ... }}` or `{% ... %}`. Linear in the text
 * whatever it holds (`{{{{...` with no closing brace included): the next closing brace and the next
 * newline are found once and reused while the openings move forward.
 */
export function hasJinjaTag(text: string): boolean {
  const next = { "}}": -2, "%}": -2, "\n": -2 } as Record<string, number>;
  const after = (token: string, from: number): number => {
    if ((next[token] as number) !== -1 && (next[token] as number) < from) next[token] = text.indexOf(token, from);
    return next[token] === -1 ? Number.POSITIVE_INFINITY : (next[token] as number);
  };
  for (let index = text.indexOf("{"); index !== -1 && index < text.length - 1; index = text.indexOf("{", index + 1)) {
    const second = text[index + 1];
    if (second !== "{" && second !== "%") continue;
    const close = after(second === "{" ? "}}" : "%}", index + 2);
    if (close - index <= MAX_TAG_CHARS && close < after("\n", index + 2)) return true;
  }
  return false;
}

/** How a template found in text is weighed: documentation (a model card showing a template) is only noted. */
export type TemplateSetting = "value" | "documentation";

/**
 * Jinja inside an ordinary string field (a metadata value, a config string, a prompt template in a
 * pipeline config, a template file sniffed by content). Tokens are never templates; `{{` and `}}` on
 * different lines of a vocabulary are not one tag.
 */
export function templateSetting(fact: TextFact): TemplateSetting | undefined {
  if (fact.role === "vocabulary" || fact.role === "name") return undefined;
  if (!hasJinjaTag(fact.text)) return undefined;
  return fact.role === "documentation" ? "documentation" : "value";
}

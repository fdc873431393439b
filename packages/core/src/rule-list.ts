import type { Rule } from "./plugin.js";

/** A rule that carries its name (`defineRule({ name: "dangerous-global", meta })`): its file is the one place the name is written. */
export interface NamedRule extends Rule {
  name: string;
}

/**
 * The `rules` map of a plugin from its rules' own names, so a rule's name is not written again as a
 * key. Throws on two rules with one name (a copy-paste mistake that would hide a rule).
 */
export function rulesByName(rules: readonly NamedRule[]): Record<string, Rule> {
  const byName: Record<string, Rule> = {};
  for (const rule of rules) {
    if (Object.hasOwn(byName, rule.name)) throw new Error(`two rules are named ${rule.name}`);
    byName[rule.name] = rule;
  }
  return byName;
}

/** A detector's `rules` list from the rules it reports, so the names are not written again as strings. */
export function ruleNames(rules: readonly NamedRule[]): string[] {
  return rules.map((rule) => rule.name);
}

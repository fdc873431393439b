import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Plugin, validatePlugin } from "../plugin.js";

/**
 * What an exports test checks for a plugin with rules, as a list of problems (empty when sound):
 * the contract holds, every file in `rulesDirectory` is a rule exported under its file name, the
 * detectors declare exactly those rules between them, and every rule has complete metadata.
 */
export function checkPluginExports(plugin: Plugin, rulesDirectory: URL | string): string[] {
  const problems = validatePlugin(plugin);
  const directory = typeof rulesDirectory === "string" ? rulesDirectory : fileURLToPath(rulesDirectory);
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts"))
    .map((name) => name.slice(0, -3))
    .sort();
  const rules = Object.keys(plugin.rules ?? {}).sort();
  for (const file of files) if (!rules.includes(file)) problems.push(`src/rules/${file}.ts is not exported as a rule`);
  for (const rule of rules) if (!files.includes(rule)) problems.push(`rule ${rule} has no file src/rules/${rule}.ts`);
  const declared = new Set((plugin.detectors ?? []).flatMap((detector) => detector.rules));
  for (const rule of rules) if (!declared.has(rule)) problems.push(`no detector declares rule ${rule}`);
  for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
    if (rule.meta.description.length < 20) problems.push(`rule ${name} description is too short to help`);
    if (rule.meta.remediation.length < 10) problems.push(`rule ${name} remediation is too short to help`);
    if (rule.meta.references.length === 0) problems.push(`rule ${name} has no references`);
    if (!(rule.meta.confidence >= 0 && rule.meta.confidence <= 1)) problems.push(`rule ${name} confidence is not 0..1`);
  }
  return problems;
}

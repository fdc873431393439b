import { printable, type RuleDocInput, renderRuleText, ruleDocsUrl, ruleSummary } from "@modelaudit/report";
import type { ResolvedIo } from "./io.js";
import { loadSetup } from "./load-setup.js";
import { UsageError } from "./usage-error.js";

export interface RulesFlags {
  format: "text" | "json";
  config?: string;
  plugin?: string[];
}

/**
 * `modelaudit rules`: every rule of the loaded plugins (id, severity, summary); `modelaudit rules <id>`
 * explains one (what, why, how to fix, references, documentation link), from the rule's own metadata.
 */
export async function rulesCommand(id: string | undefined, flags: RulesFlags, io: ResolvedIo): Promise<0> {
  const { registry } = await loadSetup({
    cwd: io.cwd,
    resolvePlugin: io.resolvePlugin,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.plugin ? { extraPlugins: flags.plugin } : {}),
  });
  const rules: RuleDocInput[] = [...registry.rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  if (id === undefined) {
    if (flags.format === "json") {
      const listing = rules.map((rule) => ({ ...summaryOf(rule), docsUrl: ruleDocsUrl(rule) ?? null }));
      io.stdout.write(`${JSON.stringify({ rules: listing }, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(0, ...rules.map((rule) => rule.id.length));
    const lines = rules.map(
      (rule) => `${rule.id.padEnd(width)}  ${rule.meta.severity.padEnd(8)}  ${ruleSummary(rule.meta)}`,
    );
    lines.push("", `${rules.length} ${rules.length === 1 ? "rule" : "rules"}; \`modelaudit rules <id>\` explains one`);
    io.stdout.write(`${lines.map(printable).join("\n")}\n`);
    return 0;
  }

  const rule = registry.rules.get(id);
  if (!rule) {
    const near = rules.filter((candidate) => candidate.name === id || candidate.id.includes(id)).map((r) => r.id);
    const hint =
      near.length > 0 ? ` (did you mean ${near.slice(0, 5).join(", ")}?)` : "; `modelaudit rules` lists them";
    throw new UsageError(`no loaded plugin has a rule ${JSON.stringify(id)}${hint}`);
  }
  if (flags.format === "json") {
    const { meta } = rule;
    const explained = {
      ...summaryOf(rule),
      confidence: meta.confidence,
      recommended: meta.recommended,
      description: meta.description,
      remediation: meta.remediation,
      messages: meta.messages,
      references: meta.references,
      docsUrl: ruleDocsUrl(rule) ?? null,
    };
    io.stdout.write(`${JSON.stringify(explained, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(renderRuleText(rule));
  return 0;
}

function summaryOf(rule: RuleDocInput) {
  return { id: rule.id, plugin: rule.plugin, severity: rule.meta.severity, summary: ruleSummary(rule.meta) };
}

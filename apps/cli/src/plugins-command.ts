import { listPlugins } from "@modelaudit/core/engine";
import { printable } from "@modelaudit/report";
import type { ResolvedIo } from "./io.js";
import { loadSetup } from "./load-setup.js";

export interface PluginsFlags {
  format: "text" | "json";
  config?: string;
  plugin?: string[];
}

/** `modelaudit plugins`: what the configured plugins provide. */
export async function pluginsCommand(flags: PluginsFlags, io: ResolvedIo): Promise<0> {
  const { registry } = await loadSetup({
    cwd: io.cwd,
    resolvePlugin: io.resolvePlugin,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.plugin ? { extraPlugins: flags.plugin } : {}),
  });
  const listing = listPlugins(registry);
  if (flags.format === "json") {
    io.stdout.write(`${JSON.stringify({ plugins: listing }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const plugin of listing) {
    lines.push(`${plugin.name} ${plugin.version}${plugin.namespace ? `  (namespace: ${plugin.namespace})` : ""}`);
    if (plugin.formats.length > 0) {
      lines.push("  formats:");
      for (const format of plugin.formats) lines.push(`    ${format.id}  ${format.description}`);
    }
    if (plugin.detectors.length > 0) {
      lines.push("  detectors:");
      for (const detector of plugin.detectors) {
        const inputs = [...detector.facts, ...(detector.bytes ? ["bytes"] : [])].join(", ");
        lines.push(`    ${detector.id}  ${detector.description}  (${inputs})`);
      }
    }
    if (plugin.rules.length > 0) {
      lines.push("  rules:");
      for (const rule of plugin.rules) {
        const recommended = rule.recommended ? "" : "  (not recommended)";
        lines.push(`    ${rule.id}  ${rule.severity}  ${rule.description}${recommended}`);
      }
    }
    lines.push("");
  }
  lines.push(`${listing.length} ${listing.length === 1 ? "plugin" : "plugins"}`);
  io.stdout.write(`${lines.map(printable).join("\n")}\n`);
  return 0;
}

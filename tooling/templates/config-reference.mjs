// Renders the config file reference (a Markdown table) from core's JSON Schema of modelaudit.config.json,
// so the README never describes a key the parser does not know or misses one it does.
import { readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const SCHEMA_FILE = path.join(ROOT, "packages/core/schema/config.schema.json");
export const START =
  "<!-- config-reference:start (generated from packages/core/schema/config.schema.json by pnpm docs:config) -->";
export const END = "<!-- config-reference:end -->";

/** The reference table: one row per top-level key, then one per `limits` key. */
export function renderConfigReference(schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"))) {
  const rows = [];
  for (const [key, property] of Object.entries(schema.properties)) {
    if (key === "$schema") continue;
    rows.push([`\`${key}\``, typeOf(property), property.description ?? ""]);
    if (property.type === "object" && property.properties) {
      for (const [inner, value] of Object.entries(property.properties)) {
        rows.push([`\`${key}.${inner}\``, typeOf(value), defaultOf(inner, value)]);
      }
    }
  }
  const header = ["key", "type", "meaning"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  const separator = `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`;
  const unknown =
    schema.additionalProperties === false ? "\n\nAny other key is an error at start-up, with its path." : "";
  return `${[line(header), separator, ...rows.map(line)].join("\n")}${unknown}`;
}

/** `text` with the section between the markers replaced by `reference`. */
export function withConfigReference(text, reference = renderConfigReference()) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the config reference markers are missing: ${START} ... ${END}`);
  return `${text.slice(0, start + START.length)}\n\n${reference}\n\n${text.slice(end)}`;
}

function typeOf(property) {
  if (property.enum) return property.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ");
  if (property.type === "array") return `${property.items?.type ?? "value"}[]`;
  if (
    property.type === "object" &&
    property.additionalProperties &&
    typeof property.additionalProperties === "object"
  ) {
    const inner = property.additionalProperties;
    return `object of ${inner.enum ? inner.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ") : inner.type}`;
  }
  if (property.type === "number" && property.exclusiveMinimum === 0) return "number > 0";
  return property.type ?? "value";
}

function defaultOf(key, property) {
  const parts = [];
  if (property.description) parts.push(property.description);
  if (property.default !== undefined) parts.push(`default ${formatDefault(key, property.default)}`);
  return parts.join("; ");
}

// Byte and time limits read better in their units.
function formatDefault(key, value) {
  if (typeof value !== "number") return JSON.stringify(value);
  if (/Bytes$/.test(key) && value >= 1024 ** 2) {
    const gib = value / 1024 ** 3;
    return Number.isInteger(gib) ? `${value} (${gib} GiB)` : `${value} (${value / 1024 ** 2} MiB)`;
  }
  if (/Ms$/.test(key) && value >= 1000) return `${value} (${value / 1000} s)`;
  return String(value);
}

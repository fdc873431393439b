import type { FormatHandler, TextFact } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export type TextValue = Pick<TextFact, "text" | "key" | "role">;

/** Test-only handler: a `.values.json` file (an array of text values) becomes one text fact per value. */
const textValueHandler: FormatHandler = {
  id: "test-text-values",
  description: "test-only: text values as text facts",
  sniff: (input) => input.name.endsWith(".values.json"),
  async parse(context) {
    const values = JSON.parse(new TextDecoder().decode(await context.source.read(0, context.source.size)));
    for (const value of values as TextValue[]) {
      context.emit({ kind: "text", text: value.text, key: value.key, role: value.role, location: { path: value.key } });
    }
  },
};

const textValuePlugin = definePlugin({
  meta: { name: "test-text-values", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [textValueHandler],
});

/** Scans text values through the engine with the template-injection plugin. */
export function scanValues(values: TextValue[]): Promise<Report> {
  return scanBytes("case.values.json", new TextEncoder().encode(JSON.stringify(values)), [textValuePlugin, plugin]);
}

import type { Fact } from "../facts.js";
import { API_VERSION, definePlugin, type FormatHandler } from "../plugin.js";
import { BufferSource, readAll } from "../source.js";

/**
 * A synthetic source for detector tests: JSON that becomes facts, format labels and nested
 * children, so a detector can be tested without the format handlers that would emit them.
 */
export interface FactsDescription {
  formats?: string[];
  facts?: Fact[];
  children?: { name: string; text?: string; description?: FactsDescription }[];
}

const MARKER = '{"test-facts":';
const utf8 = new TextDecoder();

export function factsBytes(description: FactsDescription): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ "test-facts": description }));
}

export const factsHandler: FormatHandler = {
  id: "test-facts",
  description: "test-only: turns a JSON description into facts, format labels and children",
  sniff: ({ head }) => utf8.decode(head.subarray(0, MARKER.length)) === MARKER,
  async parse(context) {
    const bytes = await readAll(context.source, 64 * 1024 * 1024);
    const description = (JSON.parse(utf8.decode(bytes)) as { "test-facts": FactsDescription })["test-facts"];
    for (const format of description.formats ?? []) context.addFormat(format);
    for (const fact of description.facts ?? []) context.emit(fact);
    for (const child of description.children ?? []) {
      const content = child.description ? factsBytes(child.description) : new TextEncoder().encode(child.text ?? "");
      await context.scanChild(child.name, new BufferSource(child.name, content));
    }
  },
};

/** The facts handler as a plugin, to pass beside the plugin under test. */
export const factsPlugin = definePlugin({
  meta: { name: "@modelaudit/core/testing", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [factsHandler],
});

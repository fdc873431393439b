import type { ParseContext } from "@modelaudit/core";
import { ConfigFacts } from "./config-facts.js";
import { MAX_CONFIG_BYTES } from "./config-handlers.js";
import { readJson } from "./read-source.js";

/** The parse of the config handlers: reads the bounded JSON document and emits its facts. */
export async function emitConfig(context: ParseContext, what: string): Promise<void> {
  const parsed = await readJson(context, MAX_CONFIG_BYTES, what);
  if (!parsed) return;
  new ConfigFacts(context, what).emitDocument(parsed.value);
}

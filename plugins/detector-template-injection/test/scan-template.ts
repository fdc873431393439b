import type { Report } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import plugin from "../src/index.js";
import { jinjaFilePlugin } from "./jinja-file-handler.js";

/** Scans a template through the engine, as a `.jinja` file. */
export function scanTemplate(text: string, config = {}): Promise<Report> {
  return scanBytes("chat_template.jinja", new TextEncoder().encode(text), [jinjaFilePlugin, plugin], config);
}

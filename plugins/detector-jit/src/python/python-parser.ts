import { createRequire } from "node:module";
import type { parser as LezerPythonParser } from "@lezer/python";

export type PythonParser = typeof LezerPythonParser;

const requireModule = createRequire(import.meta.url);
let loaded: PythonParser | undefined;

/**
 * @lezer/python's parser, loaded on first use: its parse tables are a large share of start-up and
 * most scans never meet Python. Loaded synchronously (its CommonJS build), since detectors judge
 * facts synchronously.
 */
export function pythonParser(): PythonParser {
  loaded ??= (requireModule("@lezer/python") as { parser: PythonParser }).parser;
  return loaded;
}

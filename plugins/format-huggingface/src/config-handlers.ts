import { FORMATS, type FormatHandler, type ParseContext } from "@modelaudit/core";
import { classifyJson } from "./text-sniff.js";

/** Configs are small; anything beyond this is not a real config. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Reads a JSON config and emits its facts; the fact walker is imported on the first config. */
export async function parseConfig(context: ParseContext, what: string): Promise<void> {
  const { emitConfig } = await import("./config-parse.js");
  return emitConfig(context, what);
}

/** `config.json`, `processor_config.json`, `preprocessor_config.json` and other model configs. */
export const configHandler: FormatHandler = {
  id: FORMATS.hfConfig,
  description: "Hugging Face model config (config.json: auto_map, custom_pipelines, trust_remote_code)",
  sniff: (input) => classifyJson(input) === "config",
  parse: (context) => parseConfig(context, "Hugging Face config"),
};

/** `generation_config.json`: sampling parameters; its strings are text facts. */
export const generationConfigHandler: FormatHandler = {
  id: FORMATS.hfGenerationConfig,
  description: "Hugging Face generation_config.json",
  sniff: (input) => classifyJson(input) === "generation-config",
  parse: (context) => parseConfig(context, "Hugging Face generation config"),
};

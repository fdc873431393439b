import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { MAX_CONFIG_BYTES, parseConfig } from "./config-handlers.js";
import { decodeText, readBounded } from "./read-source.js";
import { classifyJson, looksLikeText } from "./text-sniff.js";

/**
 * `tokenizer_config.json` (chat_template, added_tokens_decoder, auto_map), `chat_template.json`,
 * `special_tokens_map.json`, and standalone `*.jinja` chat templates (transformers writes
 * `chat_template.jinja` since 4.5x). Templates become `code` facts, language jinja.
 */
export const tokenizerConfigHandler: FormatHandler = {
  id: FORMATS.hfTokenizerConfig,
  description: "Hugging Face tokenizer config and chat templates (tokenizer_config.json, chat_template.json, *.jinja)",
  sniff(input) {
    if (input.extension === ".jinja") return input.size > 0 && looksLikeText(input.head);
    return classifyJson(input) === "tokenizer-config";
  },
  async parse(context) {
    const name = context.memberChain.at(-1) ?? context.file;
    if (name.toLowerCase().endsWith(".jinja")) {
      const bytes = await readBounded(context, MAX_CONFIG_BYTES, "chat template");
      if (!bytes) return;
      const text = decodeText(context, bytes, "chat template");
      if (text === null) return;
      const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
      context.emit({ kind: "code", language: "jinja", text, location: { path: base } });
      return;
    }
    await parseConfig(context, "Hugging Face tokenizer config");
  },
};

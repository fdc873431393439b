import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { classifyJson } from "./text-sniff.js";

/**
 * `tokenizer.json` (the `tokenizers` library format): every vocabulary token and added token is a
 * text fact (role "vocabulary"); merges are skipped (pairs of tokens already emitted); the
 * normalizer, pre-tokenizer, post-processor and decoder strings are config text.
 */
export const tokenizerHandler: FormatHandler = {
  id: FORMATS.hfTokenizer,
  description: "Hugging Face tokenizers file (tokenizer.json)",
  sniff: (input) => classifyJson(input) === "tokenizer",
  async parse(context) {
    const { parseTokenizer } = await import("./tokenizer-parse.js");
    return parseTokenizer(context);
  },
};

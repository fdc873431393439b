import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { headText, looksLikeText } from "./text-sniff.js";

const CARD_NAMES = new Set(["readme.md", "model_card.md", "modelcard.md"]);

/**
 * Model cards: `README.md` (YAML front matter + markdown) and other markdown files that open with
 * front matter. Front-matter values and every non-empty line of the body become text facts, role
 * "documentation", with their line numbers; lines inside fenced code blocks are keyed `body.code`
 * (code samples), the others `body` (prose). What is worth a finding is the detectors' call.
 */
export const modelCardHandler: FormatHandler = {
  id: FORMATS.hfModelCard,
  description: "Hugging Face model card (README.md with YAML front matter)",
  sniff(input) {
    if (input.extension !== ".md" || input.size === 0 || !looksLikeText(input.head)) return false;
    return CARD_NAMES.has(input.name.toLowerCase()) || /^\uFEFF?---\r?\n/.test(headText(input.head.subarray(0, 8)));
  },
  async parse(context) {
    const { parseModelCard } = await import("./model-card-parse.js");
    return parseModelCard(context);
  },
};

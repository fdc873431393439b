import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { headText } from "./read-model-bytes.js";

/** `Booster.save_model("x.json")`: `{"learner": {...}, "version": [major, minor, patch]}`. */
export const xgboostJsonHandler: FormatHandler = {
  id: FORMATS.xgboostJson,
  description: "XGBoost JSON model (Booster.save_model to .json)",
  sniff({ head }) {
    const text = headText(head);
    if (/^\uFEFF?\s*\{\s*"learner"\s*:\s*\{/.test(text)) return true;
    // Key order is not guaranteed in hand-edited files: accept learner + booster near the start.
    return /^\uFEFF?\s*\{/.test(text) && text.includes('"learner"') && text.includes('"gradient_booster"');
  },
  async parse(context) {
    const { parseXgboostJson } = await import("./xgboost-json-parse.js");
    return parseXgboostJson(context);
  },
};

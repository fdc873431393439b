import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson } from "@modelaudit/core/format";
import { ModelReport } from "./model-report.js";
import { headText, readModelBytes } from "./read-model-bytes.js";
import { validateXgboostDocument } from "./xgboost-structure.js";

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
    const bytes = await readModelBytes(context, "XGBoost JSON model");
    if (!bytes) return;
    const report = new ModelReport(context);
    let document: unknown;
    try {
      document = parseBoundedJson(bytes);
    } catch (error) {
      if (!(error instanceof JsonProblem)) throw error;
      report.anomaly(error.kind, error.message);
      report.finish("XGBoost JSON model not parsed");
      return;
    }
    validateXgboostDocument(document, report, { checkDeadline: context.checkDeadline });
    report.finish("XGBoost JSON model structure is invalid");
  },
};

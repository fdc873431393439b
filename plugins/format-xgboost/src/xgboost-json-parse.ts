import type { ParseContext } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson } from "@modelaudit/core/format";
import { ModelReport } from "./model-report.js";
import { readModelBytes } from "./read-model-bytes.js";
import { validateXgboostDocument } from "./xgboost-structure.js";

/** The parse of {@link xgboostJsonHandler}, imported on the first XGBoost JSON model. */
export async function parseXgboostJson(context: ParseContext): Promise<void> {
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
}

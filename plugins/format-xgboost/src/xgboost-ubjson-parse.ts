import type { ParseContext } from "@modelaudit/core";
import { ModelReport } from "./model-report.js";
import { readModelBytes } from "./read-model-bytes.js";
import { readUbjson, UbjsonProblem } from "./ubjson-reader.js";
import { validateXgboostDocument } from "./xgboost-structure.js";

/** The parse of {@link xgboostUbjsonHandler}, imported on the first XGBoost UBJSON model. */
export async function parseXgboostUbjson(context: ParseContext): Promise<void> {
  const bytes = await readModelBytes(context, "XGBoost UBJSON model");
  if (!bytes) return;
  const report = new ModelReport(context);
  let document: unknown;
  try {
    const parsed = readUbjson(bytes, undefined, context.checkDeadline);
    document = parsed.value;
    if (parsed.end < bytes.length) {
      report.anomaly(
        "trailing-data",
        `${bytes.length - parsed.end} bytes after the end of the UBJSON document`,
        undefined,
        false,
        parsed.end,
      );
    }
  } catch (error) {
    if (!(error instanceof UbjsonProblem)) throw error;
    report.anomaly(error.kind, error.message, undefined, true, error.offset);
    report.finish("XGBoost UBJSON model not parsed");
    return;
  }
  validateXgboostDocument(document, report, { checkDeadline: context.checkDeadline });
  report.finish("XGBoost UBJSON model structure is invalid");
}

import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { ModelReport } from "./model-report.js";
import { readModelBytes } from "./read-model-bytes.js";
import { readUbjson, UbjsonProblem } from "./ubjson-reader.js";
import { validateXgboostDocument } from "./xgboost-structure.js";

const LEARNER = new TextEncoder().encode("learner");

function containsAt(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > bytes.length) return false;
  for (let index = 0; index < needle.length; index++) if (bytes[at + index] !== needle[index]) return false;
  return true;
}

/** `Booster.save_model("x.ubj")`: the JSON document in UBJSON, first key `learner`. */
export const xgboostUbjsonHandler: FormatHandler = {
  id: FORMATS.xgboostUbj,
  description: "XGBoost UBJSON model (Booster.save_model to .ubj)",
  sniff({ head }) {
    if (head[0] !== 0x7b /* { */) return false;
    // `{` then an integer-typed key length then "learner": i/U (1 byte), I (2), l (4), L (8).
    const sizes: Record<number, number> = { 105: 1, 85: 1, 73: 2, 108: 4, 76: 8 };
    const size = sizes[head[1] ?? -1];
    if (size === undefined) return false;
    const lengthEnd = 2 + size;
    if (head[lengthEnd - 1] !== LEARNER.length) return false;
    return containsAt(head, LEARNER, lengthEnd);
  },
  async parse(context) {
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
  },
};

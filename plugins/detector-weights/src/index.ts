import { API_VERSION, definePlugin } from "@modelaudit/core";
import hiddenPayload from "./rules/hidden-payload.js";
import nonFiniteWeights from "./rules/non-finite-weights.js";
import weightOutliers from "./rules/weight-outliers.js";
import { weightsDetector } from "./weights-detector.js";

export { type HiddenData, HiddenDataReader, SIGNATURE_WINDOW } from "./hidden-data.js";
export { MIN_TEXT_RUN, PrintableRunCounter, type TextRun } from "./printable-run.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-weights", version: __PACKAGE_VERSION__, namespace: "weights" },
  apiVersion: API_VERSION,
  detectors: [weightsDetector],
  rules: {
    "hidden-payload": hiddenPayload,
    "non-finite-weights": nonFiniteWeights,
    "weight-outliers": weightOutliers,
  },
});

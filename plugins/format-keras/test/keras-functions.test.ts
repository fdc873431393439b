import { expect, test } from "vitest";
import { isReportedFunction } from "../src/keras-functions.js";

test("keras.applications is no modeling namespace: constructors and download helpers are reported", () => {
  // ResNet50() downloads imagenet weights by default; decode_predictions downloads a class index.
  expect(isReportedFunction("keras.applications", "ResNet50")).toBe(true);
  expect(isReportedFunction("keras.src.applications.resnet", "ResNet50")).toBe(true);
  expect(isReportedFunction("keras.applications.imagenet_utils", "decode_predictions")).toBe(true);
  expect(isReportedFunction("tf_keras.applications.mobilenet_v2", "MobileNetV2")).toBe(true);
  // preprocess_input is tensor arithmetic without I/O.
  expect(isReportedFunction("keras.applications.resnet50", "preprocess_input")).toBe(false);
  expect(isReportedFunction("keras.ops", "relu")).toBe(false);
  expect(isReportedFunction("keras.activations", "gelu")).toBe(false);
});

/**
 * The real format handlers (dev dependencies only: the detector itself knows no format) that turn
 * the fixtures into the facts, nested sources and tensor ranges a scan gives.
 */
import { definePreset } from "@modelaudit/core";
import archive from "@modelaudit/format-archive";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";

export const testHandlers = definePreset({
  meta: { name: "test-handlers", version: "0.0.0" },
  plugins: [archive, pickle, safetensors, huggingface],
});

/**
 * Handlers for this detector's tests: the real archive and pickle plugins (dev dependencies) give
 * real fixtures the format labels the detector judges, and core's JSON facts handler stands in for
 * synthetic sources. The executable handlers are the ones the detector requires.
 */
import { definePreset } from "@modelaudit/core";
import { factsPlugin } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";

export const testHandlers = definePreset({
  meta: { name: "test-handlers", version: "0.0.0" },
  plugins: [factsPlugin, archive, pickle, executable],
});

import { flag, positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.crypto`, checked at start-up. */
export const optionsSchema = z.strictObject({
  maxFindingsPerRule: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerRule)
    .describe("Findings per rule and artifact; past it, one `more` finding counts the rest."),
  checkSiblings: flag()
    .default(DEFAULT_OPTIONS.checkSiblings)
    .describe("Look at the files beside a scanned key file for encrypted weights (reads directory names only)."),
});

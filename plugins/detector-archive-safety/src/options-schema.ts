import { positiveNumber, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options["archive-safety"]`: checked at start-up, so a typo'd threshold never silently keeps its default. */
export const optionsSchema = z.strictObject({
  maxRatio: positiveNumber()
    .default(DEFAULT_OPTIONS.maxRatio)
    .describe("Largest accepted uncompressed/compressed ratio for one member."),
  ratioMinSize: positiveNumber()
    .default(DEFAULT_OPTIONS.ratioMinSize)
    .describe(
      "Members smaller than this (bytes, uncompressed) are not judged by ratio: a bomb is a high ratio and a large output.",
    ),
  maxEntrySize: positiveNumber()
    .default(DEFAULT_OPTIONS.maxEntrySize)
    .describe("Largest accepted declared uncompressed size of one member, in bytes."),
  maxEntries: positiveNumber().default(DEFAULT_OPTIONS.maxEntries).describe("Most members accepted in one archive."),
  maxNesting: positiveNumber()
    .default(DEFAULT_OPTIONS.maxNesting)
    .describe("Deepest accepted nesting of archives (the top-level archive is level 1)."),
});

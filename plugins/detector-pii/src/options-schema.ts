import { allowEntry, expected, positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/**
 * `options.pii`, checked at start-up. At scan time a bad entry is skipped so a scan never stops; at
 * start-up the same problems are errors, so a broken allow-list regex is fixed, not ignored.
 */
export const optionsSchema = z.strictObject({
  allow: z
    .array(allowEntry(), { error: "must be an array of strings" })
    .optional()
    .describe(
      "Values never reported: a plain string matches exactly (as written or normalised); /source/flags is a regular expression.",
    ),
  emailThreshold: positiveInteger()
    .default(DEFAULT_OPTIONS.emailThreshold)
    .describe("Distinct personal email addresses in one artifact from which they are a leaked user list (warning)."),
  ignoreDomains: z
    .array(z.string().regex(/^[A-Za-z0-9.-]+$/, { error: expected("a domain name") }), {
      error: "must be an array of strings",
    })
    .optional()
    .describe("Email domains never reported (subdomains included), besides the reserved documentation domains."),
  maxFindings: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindings)
    .describe("Most findings reported per artifact, so a file full of records cannot flood a report."),
});

import { expected, flag, z } from "@modelaudit/core/options";
import { isLicenseId, USES } from "./options.js";

const licenseIds = (description: string) =>
  z
    .array(z.string().refine(isLicenseId, { error: expected("a license id") }), {
      error: "must be an array of license ids",
    })
    .optional()
    .describe(description);

/** `options["supply-chain"].licenses`: every list holds SPDX ids (or any spelling they normalise from). */
export const licensesSchema = z
  .strictObject({
    allowed: licenseIds("When set, a license outside it (and outside review) is a finding."),
    denied: licenseIds("Licenses that are a critical finding."),
    review: licenseIds("Licenses a person must review before use (a finding, one level below denied)."),
    use: z
      .enum(USES, { error: expected(`one of ${USES.join(", ")}`) })
      .optional()
      .describe("How the models will be used: commercial makes non-commercial and research-only licenses a finding."),
    requireLicense: flag()
      .optional()
      .describe("A model card that declares no license is a warning (default true); false turns that off."),
  })
  .optional()
  .describe("The license policy.");

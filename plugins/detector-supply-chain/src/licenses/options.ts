import { expected, flag, z } from "@modelaudit/core/detector";
import { normalizeLicense } from "./license-ids.js";
/** How the models will be used: commercial use makes non-commercial and research-only licenses a finding. */
export type IntendedUse = "commercial" | "non-commercial" | "research";

/** `options["supply-chain"].licenses`: the license policy. Every list holds SPDX ids (or any spelling they normalise from). */
export interface LicenseOptions {
  /** When set, a license outside it (and outside `review`) is a finding. */
  allowed: Set<string>;
  denied: Set<string>;
  /** Licenses a person must review before use (a finding, one level below denied). */
  review: Set<string>;
  use: IntendedUse | null;
  /** A model card that declares no license is a warning; set false to turn it into nothing. */
  requireLicense: boolean;
}

const USES = ["commercial", "non-commercial", "research"] as const;

export const DEFAULT_LICENSE_OPTIONS: LicenseOptions = {
  allowed: new Set(),
  denied: new Set(),
  review: new Set(),
  use: null,
  requireLicense: true,
};

const licenseIds = (description: string) =>
  z
    .array(
      z.string().refine((item) => normalizeLicense(item) !== null, { error: expected("a license id") }),
      { error: "must be an array of license ids" },
    )
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

/** The checked `licenses` (undefined: defaults), with every id in its SPDX form. */
export function readLicenseOptions(value: z.output<typeof licensesSchema>): LicenseOptions {
  if (value === undefined) return DEFAULT_LICENSE_OPTIONS;
  return {
    allowed: licenseSet(value.allowed),
    denied: licenseSet(value.denied),
    review: licenseSet(value.review),
    use: value.use ?? null,
    requireLicense: value.requireLicense ?? true,
  };
}

/** The listed licenses in their SPDX form, so `apache-2.0` in the config matches `Apache-2.0` in a card. */
function licenseSet(value: readonly string[] | undefined): Set<string> {
  return new Set((value ?? []).flatMap((item) => normalizeLicense(item)?.spdx ?? []));
}

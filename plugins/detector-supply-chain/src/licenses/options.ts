import { fail, flagOf, quote, section, stringList } from "../read-option.js";
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

export const USES = ["commercial", "non-commercial", "research"] as const;

export const DEFAULT_LICENSE_OPTIONS: LicenseOptions = {
  allowed: new Set(),
  denied: new Set(),
  review: new Set(),
  use: null,
  requireLicense: true,
};

export const LICENSE_KEYS = ["allowed", "denied", "review", "use", "requireLicense"] as const;

/** A string `normalizeLicense` reads: an SPDX id or a spelling of one. */
export const isLicenseId = (item: string) => normalizeLicense(item) !== null;

/** `licenses` (undefined: defaults), with every id in its SPDX form; checked at start-up, see read-option.ts. */
export function readLicenseOptions(raw: unknown): LicenseOptions {
  const value = section(raw, "licenses", LICENSE_KEYS);
  if (value === undefined) return DEFAULT_LICENSE_OPTIONS;
  const ids = (key: "allowed" | "denied" | "review") =>
    licenseSet(
      stringList(value[key], `licenses.${key}`, isLicenseId, "a license id", "must be an array of license ids"),
    );
  const use = value.use;
  if (use !== undefined && !USES.includes(use as IntendedUse)) {
    fail("licenses.use", `expected one of ${USES.join(", ")}, got ${quote(use)}`);
  }
  return {
    allowed: ids("allowed"),
    denied: ids("denied"),
    review: ids("review"),
    use: (use as IntendedUse | undefined) ?? null,
    requireLicense: flagOf(value.requireLicense, "licenses.requireLicense", true),
  };
}

/** The listed licenses in their SPDX form, so `apache-2.0` in the config matches `Apache-2.0` in a card. */
function licenseSet(value: readonly string[] | undefined): Set<string> {
  return new Set((value ?? []).flatMap((item) => normalizeLicense(item)?.spdx ?? []));
}

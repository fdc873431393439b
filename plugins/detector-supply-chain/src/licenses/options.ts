import { OptionError } from "../options.js";
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

const KEYS = ["allowed", "denied", "review", "use", "requireLicense"];
const USES: readonly IntendedUse[] = ["commercial", "non-commercial", "research"];

export const DEFAULT_LICENSE_OPTIONS: LicenseOptions = {
  allowed: new Set(),
  denied: new Set(),
  review: new Set(),
  use: null,
  requireLicense: true,
};

/** Reads `licenses` (undefined: defaults); a malformed value throws an OptionError naming the field. */
export function readLicenseOptions(value: unknown, where: string): LicenseOptions {
  if (value === undefined) return DEFAULT_LICENSE_OPTIONS;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OptionError(`${where} must be an object { ${KEYS.join(", ")} }`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.includes(key)) throw new OptionError(`${where}.${key}: unknown option (known: ${KEYS.join(", ")})`);
  }
  if (record.use !== undefined && !USES.includes(record.use as IntendedUse)) {
    throw new OptionError(`${where}.use must be one of ${USES.join(", ")}, got ${JSON.stringify(record.use)}`);
  }
  if (record.requireLicense !== undefined && typeof record.requireLicense !== "boolean") {
    throw new OptionError(`${where}.requireLicense must be true or false`);
  }
  return {
    allowed: licenseSet(record.allowed, `${where}.allowed`),
    denied: licenseSet(record.denied, `${where}.denied`),
    review: licenseSet(record.review, `${where}.review`),
    use: (record.use as IntendedUse | undefined) ?? null,
    requireLicense: (record.requireLicense as boolean | undefined) ?? true,
  };
}

/** The listed licenses in their SPDX form, so `apache-2.0` in the config matches `Apache-2.0` in a card. */
function licenseSet(value: unknown, where: string): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw new OptionError(`${where} must be an array of license ids`);
  return new Set(
    value.map((item: unknown, index) => {
      const license = typeof item === "string" ? normalizeLicense(item) : null;
      if (!license) throw new OptionError(`${where}[${index}] must be a license id, got ${JSON.stringify(item)}`);
      return license.spdx;
    }),
  );
}

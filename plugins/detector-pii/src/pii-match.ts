/** One piece of personal data found in a text, before context (role, count) decides its severity. */

export type PiiKind = "email" | "card" | "ssn" | "iban" | "phone";

/** The rule each kind is reported under (file names in src/rules). */
export const RULE_OF: Record<PiiKind, string> = {
  email: "email-address",
  card: "credit-card-number",
  ssn: "us-ssn",
  iban: "iban",
  phone: "phone-number",
};

export const PII_RULES = [
  "credit-card-number",
  "email-address",
  "iban",
  "personal-record",
  "phone-number",
  "us-ssn",
] as const;
export type PiiRule = (typeof PII_RULES)[number];

export interface PiiMatch {
  kind: PiiKind;
  /** Normalised value (digits only, compact IBAN, lower-case address): the identity for deduplication. */
  value: string;
  /** Index of the match in the scanned text. */
  index: number;
  length: number;
  /** Human label for messages, e.g. "Visa card number". */
  label: string;
  /** Already redacted. */
  evidence: string;
  confidence: number;
  /** For emails: a role address (noreply, git) is info at most and never counts as a user list. */
  roleAddress?: boolean;
}

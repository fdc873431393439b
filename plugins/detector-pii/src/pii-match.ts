import creditCardNumber from "./rules/credit-card-number.js";
import emailAddress from "./rules/email-address.js";
import iban from "./rules/iban.js";
import personalRecord from "./rules/personal-record.js";
import phoneNumber from "./rules/phone-number.js";
import usSsn from "./rules/us-ssn.js";

/** One piece of personal data found in a text, before context (role, count) decides its severity. */

export type PiiKind = "email" | "card" | "ssn" | "iban" | "phone";

/** Every rule of the plugin; each rule's name is written in its own file. */
export const PII_RULE_LIST = [creditCardNumber, emailAddress, iban, personalRecord, phoneNumber, usSsn] as const;
export type PiiRule = (typeof PII_RULE_LIST)[number]["name"];
export const PII_RULES: PiiRule[] = PII_RULE_LIST.map((rule) => rule.name);

/** The rule each kind is reported under. */
export const RULE_OF: Record<PiiKind, PiiRule> = {
  email: emailAddress.name,
  card: creditCardNumber.name,
  ssn: usSsn.name,
  iban: iban.name,
  phone: phoneNumber.name,
};

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

import { PHONE_KEY } from "./phone-number.js";
import type { PiiKind, PiiMatch } from "./pii-match.js";

/** The kinds of field a personal record holds. Every one but `name` identifies or reaches a person. */
export type PersonalField = "name" | "email" | "phone" | "address" | "birth-date" | "government-id" | "card" | "iban";

const FIELD_KEYS: [RegExp, PersonalField][] = [
  [
    /^(?:full_?name|first_?name|last_?name|given_?name|family_?name|surname|name|customer_?name|patient_?name|contact_?name|person_?name)$/,
    "name",
  ],
  [/^(?:e_?mail|mail|e_?mail_?address|email_?addr|contact_?email)$/, "email"],
  [
    /^(?:address|street|street_?address|home_?address|addr|postal_?address|address_?line_?\d|mailing_?address|zip|zip_?code|postcode|postal_?code)$/,
    "address",
  ],
  [/^(?:dob|date_?of_?birth|birth_?date|birthdate|birthday|born)$/, "birth-date"],
  [
    /^(?:ssn|social_?security(?:_?number)?|sin|national_?id|passport(?:_?number|_?no)?|tax_?id|driver_?licen[cs]e(?:_?number)?)$/,
    "government-id",
  ],
  [/^(?:card|card_?number|card_?no|credit_?card(?:_?number)?|cc|cc_?number|ccnum|pan)$/, "card"],
  [/^(?:iban|account_?number|bank_?account(?:_?number)?|account_?no)$/, "iban"],
];

const FIELD_OF_KIND: Record<PiiKind, PersonalField> = {
  email: "email",
  phone: "phone",
  card: "card",
  ssn: "government-id",
  iban: "iban",
};

/** The personal field a key names, or null: `Email-Address` → email, `customer_name` → name. */
/** Keys repeat (every row of a pickled table has the same ones): remember recent answers. */
const FIELD_CACHE = new Map<string, PersonalField | null>();
const FIELD_CACHE_LIMIT = 4096;

export function personalField(key: string): PersonalField | null {
  if (key.length > 40 || !FIELD_HINT.test(key)) return null;
  const cached = FIELD_CACHE.get(key);
  if (cached !== undefined) return cached;
  const field = computeField(key);
  if (FIELD_CACHE.size >= FIELD_CACHE_LIMIT) FIELD_CACHE.clear();
  FIELD_CACHE.set(key, field);
  return field;
}

/** Every field key and phone key contains one of these: most keys do not, and skip the full match. */
const FIELD_HINT =
  /name|mail|addr|street|zip|post|dob|birth|born|ssn|social|sin|national|passport|tax|driver|licen|card|cc|pan|iban|account|phone|mobile|tel|cell|fax|whatsapp|msisdn/i;

function computeField(key: string): PersonalField | null {
  const normalised = key
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (PHONE_KEY.test(normalised.replace(/_/g, " "))) return "phone";
  for (const [pattern, field] of FIELD_KEYS) if (pattern.test(normalised)) return field;
  return null;
}

export function fieldOfMatch(match: PiiMatch): PersonalField {
  return FIELD_OF_KIND[match.kind];
}

/** Whether a value fits the field its key names (a `name` of "resnet50" or an `address` of "0.0.0.0" does not). */
export function plausibleValue(field: PersonalField, value: string): boolean {
  const text = value.trim();
  if (text.length === 0 || text.length > 200) return false;
  const digits = text.replace(/\D/g, "").length;
  switch (field) {
    case "name":
      return /^\p{Lu}[\p{L}'.-]*(?: \p{L}[\p{L}'.-]*){1,3}$/u.test(text);
    case "email":
      return /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(text);
    case "phone":
      return digits >= 7 && digits <= 15 && /^[+\d\s().-]+$/.test(text);
    case "address":
      return /\p{L}{2,}/u.test(text) && digits > 0 && text.length >= 6 && /\s/.test(text);
    case "birth-date":
      return /\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b/.test(text) || /\b\d{1,2} \p{L}{3,} \d{4}\b/u.test(text);
    case "government-id":
      return digits >= 5 && /^[A-Z0-9 -]{5,20}$/i.test(text);
    case "card":
      return digits >= 13 && digits <= 19 && /^[\d -]+$/.test(text);
    case "iban":
      return /^[A-Z]{2}\d{2}[A-Z0-9 ]{10,40}$/.test(text);
  }
}

/** A record names a person and reaches them: three fields or more, two of them beyond a name. */
export function isRecord(fields: ReadonlySet<PersonalField>): boolean {
  if (fields.size < 3) return false;
  let identifying = 0;
  for (const field of fields) if (field !== "name") identifying++;
  return identifying >= 2;
}

const LABELLED =
  /["']?([A-Za-z][A-Za-z0-9 _-]{0,30}?)["']?\s*[:=]\s*(?:"([^"\\\n]{1,200})"|'([^'\\\n]{1,200})'|([^,;\n{}"']{1,200}))/g;
/** Where one record ends and the next begins in a dump: a closing brace or a new line. */
const RECORD_BREAK = /\}|\n/g;

export interface RecordScan {
  records: number;
  fields: Set<PersonalField>;
}

/**
 * Personal records inside one text (a JSON row, a CSV-ish line, `Name: … Email: …`): each segment
 * between braces or lines with enough fields is one; a text that only qualifies as a whole is one.
 */
export function scanRecords(text: string, matches: readonly PiiMatch[]): RecordScan {
  const result: RecordScan = { records: 0, fields: new Set() };
  if (text.length < 16) return result;
  const whole = new Set<PersonalField>();
  let segmentStart = 0;
  const segments: [number, number][] = [];
  RECORD_BREAK.lastIndex = 0;
  for (let match = RECORD_BREAK.exec(text); match !== null; match = RECORD_BREAK.exec(text)) {
    segments.push([segmentStart, match.index]);
    segmentStart = match.index + 1;
  }
  segments.push([segmentStart, text.length]);
  for (const [start, end] of segments) {
    if (end - start < 16) continue;
    const fields = fieldsIn(text.slice(start, end), matches, start);
    for (const field of fields) whole.add(field);
    if (isRecord(fields)) {
      result.records++;
      for (const field of fields) result.fields.add(field);
    }
  }
  if (result.records === 0 && segments.length > 1 && isRecord(whole)) {
    result.records = 1;
    for (const field of whole) result.fields.add(field);
  }
  return result;
}

function fieldsIn(segment: string, matches: readonly PiiMatch[], offset: number): Set<PersonalField> {
  const fields = new Set<PersonalField>();
  for (const match of matches) {
    if (match.index >= offset && match.index < offset + segment.length) fields.add(fieldOfMatch(match));
  }
  LABELLED.lastIndex = 0;
  for (let match = LABELLED.exec(segment); match !== null; match = LABELLED.exec(segment)) {
    const field = personalField((match[1] as string).trim());
    const value = (match[2] ?? match[3] ?? match[4] ?? "").trim();
    if (field && plausibleValue(field, value)) fields.add(field);
  }
  return fields;
}

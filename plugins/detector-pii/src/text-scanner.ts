import { judgeCardNumber } from "./card-number.js";
import { classifyEmail, plausibleRawAddress } from "./email-address.js";
import { isValidIban } from "./iban.js";
import { judgePhone, PHONE_KEY } from "./phone-number.js";
import type { PiiMatch } from "./pii-match.js";
import { redactCard, redactEmail, redactIban, redactPhone, redactSsn } from "./redaction.js";
import { isValidSsn } from "./us-ssn.js";

export interface TextScanOptions {
  /**
   * Raw bytes: the byte after a value is arbitrary (a pickle's BINPUT `q`), so right-hand boundaries
   * only refuse digits; phone numbers (too loose without a key) are not looked for.
   */
  raw: boolean;
  /** The text is the value of a phone-ish key: judge it as a phone number even without `+`. */
  phoneKey?: boolean;
  ignoredDomains: readonly string[];
  isAllowed: (value: string) => boolean;
}

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,6}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;
// Digits with optional single spaces or dashes; never part of a word, a decimal or a longer number.
const CARD = /(?<![0-9A-Za-z_.+-]|\d,)\d(?:[ -]?\d){12,18}(?![0-9A-Za-z_]|[.,]\d)/g;
const CARD_RAW = /(?<![0-9A-Za-z_.+-]|\d,)\d(?:[ -]?\d){12,18}(?![0-9]|[ -]\d)/g;
const SSN = /(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const SSN_RAW = /(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g;
const IBAN_RAW = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![0-9])/g;
/** Text before a match that opens a URL's user-info part (`postgres://trainer:`) or a `user:` prefix. */
const URL_AUTHORITY = /(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@]*|:)$/;
/** Text after a match that makes it an scp-style git remote (`git@github.com:org/repo.git`), not a mailbox. */
const SCP_REMOTE_PATH = /^:~?[\w.-]+\/[\w.~/-]*/;
const PHONE_E164 = /(?<![\w+.])\+[1-9](?:[ ().-]{0,2}\d){7,14}(?![\w]|\.\d)/g;
const PHONE_LABELLED =
  /\b(?:phone|mobile|tel|telephone|cell|cellphone|fax|whatsapp)(?:[ _-]?(?:number|no|num))?["']?\s*[:=]\s*["']?(\+?\(?\d[\d ().-]{5,22}\d)/gi;
const PHONE_VALUE = /^\s*(\+?\(?\d[\d ().-]{5,22}\d)\s*$/;

/** Texts longer than this are scanned in overlapping windows so regex work stays bounded per call. */
const WINDOW = 1024 * 1024;
const WINDOW_OVERLAP = 1024;

/** Every structured piece of personal data in one text, allow-listed and placeholder values removed. */
export function scanText(text: string, options: TextScanOptions): PiiMatch[] {
  if (text.length <= WINDOW) return scanWindow(text, options);
  const matches: PiiMatch[] = [];
  const seen = new Set<string>();
  for (let start = 0; start < text.length; start += WINDOW - WINDOW_OVERLAP) {
    for (const match of scanWindow(text.slice(start, start + WINDOW), options)) {
      const index = match.index + start;
      const key = `${match.kind}\0${index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matches.push({ ...match, index });
    }
    if (start + WINDOW >= text.length) break;
  }
  return matches;
}

function scanWindow(text: string, options: TextScanOptions): PiiMatch[] {
  const found: PiiMatch[] = [];
  const hasDigits = /\d/.test(text);
  if (text.includes("@")) findEmails(text, options, found);
  if (hasDigits) {
    findCards(text, options, found);
    if (text.includes("-")) findSsns(text, options, found);
    findIbans(text, options, found);
    if (!options.raw) findPhones(text, options, found);
  }
  return found.filter(
    (match) =>
      !options.isAllowed(match.value) && !options.isAllowed(text.slice(match.index, match.index + match.length)),
  );
}

function findEmails(text: string, options: TextScanOptions, into: PiiMatch[]): void {
  EMAIL.lastIndex = 0;
  for (let match = EMAIL.exec(text); match !== null; match = EMAIL.exec(text)) {
    const address = match[0];
    if (options.raw && !plausibleRawAddress(address)) continue;
    // `scheme://user:password@host` is a credential in a URL (the secrets detector's), not a mailbox.
    if (URL_AUTHORITY.test(text.slice(Math.max(0, match.index - 256), match.index))) continue;
    if (SCP_REMOTE_PATH.test(text.slice(match.index + address.length, match.index + address.length + 256))) continue;
    const kind = classifyEmail(address, options.ignoredDomains);
    if (kind === "ignored") continue;
    into.push({
      kind: "email",
      value: address.toLowerCase(),
      index: match.index,
      length: address.length,
      label: kind === "role" ? "role email address" : "email address",
      evidence: redactEmail(address),
      confidence: kind === "role" ? 0.6 : 0.9,
      roleAddress: kind === "role",
    });
  }
}

function findCards(text: string, options: TextScanOptions, into: PiiMatch[]): void {
  const regex = options.raw ? CARD_RAW : CARD;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const card = judgeCardNumber(match[0]);
    if (!card) continue;
    into.push({
      kind: "card",
      value: card.digits,
      index: match.index,
      length: match[0].length,
      label: `${card.brand.name} card number`,
      evidence: redactCard(card.digits, card.brand.name),
      confidence: card.grouped ? 0.95 : 0.85,
    });
  }
}

function findSsns(text: string, options: TextScanOptions, into: PiiMatch[]): void {
  const regex = options.raw ? SSN_RAW : SSN;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const [whole, area, group, serial] = match as unknown as [string, string, string, string];
    if (!isValidSsn(area, group, serial)) continue;
    into.push({
      kind: "ssn",
      value: `${area}${group}${serial}`,
      index: match.index,
      length: whole.length,
      label: "US Social Security number",
      evidence: redactSsn(serial),
      confidence: /\b(?:ssn|social[ _-]?security)\b/i.test(text) ? 0.95 : 0.75,
    });
  }
}

function findIbans(text: string, options: TextScanOptions, into: PiiMatch[]): void {
  const regex = options.raw ? IBAN_RAW : IBAN;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const compact = match[0].replace(/ /g, "");
    if (!isValidIban(compact)) continue;
    into.push({
      kind: "iban",
      value: compact,
      index: match.index,
      length: match[0].length,
      label: `IBAN (${compact.slice(0, 2)})`,
      evidence: redactIban(compact),
      confidence: 0.9,
    });
  }
}

function findPhones(text: string, options: TextScanOptions, into: PiiMatch[]): void {
  const taken = (index: number, length: number) =>
    into.some((other) => index < other.index + other.length && other.index < index + length);
  const add = (raw: string, index: number, international: boolean, confidence: number) => {
    const digits = judgePhone(raw, international);
    if (!digits || taken(index, raw.length)) return;
    into.push({
      kind: "phone",
      value: digits,
      index,
      length: raw.length,
      label: international ? "international phone number" : "phone number",
      evidence: redactPhone(digits, raw.startsWith("+")),
      confidence,
    });
  };
  PHONE_E164.lastIndex = 0;
  for (let match = PHONE_E164.exec(text); match !== null; match = PHONE_E164.exec(text)) {
    add(match[0], match.index, true, 0.7);
  }
  PHONE_LABELLED.lastIndex = 0;
  for (let match = PHONE_LABELLED.exec(text); match !== null; match = PHONE_LABELLED.exec(text)) {
    const value = match[1] as string;
    add(value, match.index + match[0].length - value.length, value.startsWith("+"), 0.8);
  }
  if (options.phoneKey) {
    const whole = PHONE_VALUE.exec(text);
    if (whole) add(whole[1] as string, text.indexOf(whole[1] as string), (whole[1] as string).startsWith("+"), 0.8);
  }
}

/** True when a key (or the last segment of a path) names a phone number. */
export function isPhoneKey(key: string | undefined): boolean {
  return key !== undefined && PHONE_KEY.test(lastSegment(key));
}

/** `customers[3].email` → `email`; `a["odd key"]` → `odd key`. */
export function lastSegment(path: string): string {
  const trimmed = path.replace(/\[\d+\]$/, "");
  const quoted = /\["((?:[^"\\]|\\.)*)"\]$/.exec(trimmed);
  if (quoted) return quoted[1] as string;
  const dot = Math.max(trimmed.lastIndexOf("."), trimmed.lastIndexOf("/"));
  return trimmed.slice(dot + 1).replace(/\[\d+\]/g, "");
}

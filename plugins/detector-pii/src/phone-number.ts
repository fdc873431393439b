/** Phone numbers: judged only in international E.164 form or under a phone-ish key, never bare digits. */

/** Keys and labels that name a phone number. */
export const PHONE_KEY = /(?:^|[^a-z])(?:phone|mobile|tel|telephone|cell|cellphone|fax|whatsapp|msisdn)(?:$|[^a-z])/i;

/**
 * The digits of a plausible phone number, or null: 8-15 digits for E.164 (7-15 under a phone key),
 * one kind of separator (a single dot is a decimal number, not a phone), not a typed placeholder.
 */
export function judgePhone(text: string, international: boolean): string | null {
  const digits = text.replace(/\D/g, "");
  if (digits.length < (international ? 8 : 7) || digits.length > 15) return null;
  const dots = text.split(".").length - 1;
  if (dots === 1) return null;
  const separators = new Set(text.replace(/[\d+()]/g, ""));
  if (separators.size > 2) return null;
  if (new Set(digits).size <= 2 || /(\d)\1{5,}/.test(digits)) return null;
  if (/(?:0123456|1234567|2345678|3456789|9876543)/.test(digits)) return null;
  // 555-0100..0199 is reserved for fiction in North America.
  if (/5550(?:1\d\d)$/.test(digits)) return null;
  return digits;
}

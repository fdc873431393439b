/**
 * Payment card numbers: Luhn checksum, issuer (IIN) ranges with their lengths, and the test numbers
 * that payment providers publish (those are placeholders and must never fire).
 */

export interface CardBrand {
  name: string;
  lengths: readonly number[];
}

const VISA: CardBrand = { name: "Visa", lengths: [13, 16, 19] };
const MASTERCARD: CardBrand = { name: "Mastercard", lengths: [16] };
const AMEX: CardBrand = { name: "American Express", lengths: [15] };
const DISCOVER: CardBrand = { name: "Discover", lengths: [16, 17, 18, 19] };
const JCB: CardBrand = { name: "JCB", lengths: [16, 17, 18, 19] };
const DINERS: CardBrand = { name: "Diners Club", lengths: [14, 15, 16, 17, 18, 19] };

/** Published test numbers (Stripe, Braintree, PayPal, Adyen docs): dead by design. */
const TEST_NUMBERS = new Set([
  "4111111111111111",
  "4242424242424242",
  "4012888888881881",
  "4222222222222",
  "4000056655665556",
  "4000000000000002",
  "4000000000000077",
  "4000000000009995",
  "4000000000003220",
  "4444333322221111",
  "4917610000000000",
  "4462030000000000",
  "4917300800000000",
  "4484070000000000",
  "4005519200000004",
  "4009348888881881",
  "4012000033330026",
  "4012000077777777",
  "4217651111111119",
  "4500600000000061",
  "5555555555554444",
  "5105105105105100",
  "5200828282828210",
  "5454545454545454",
  "2223003122003222",
  "2223000048400011",
  "5431111111111111",
  "378282246310005",
  "371449635398431",
  "378734493671000",
  "6011111111111117",
  "6011000990139424",
  "6011981111111113",
  "6011000400000000",
  "3056930009020004",
  "36227206271667",
  "30569309025904",
  "38520000023237",
  "3530111333300000",
  "3566002020360505",
  "3566111111111113",
]);

/** True when the digits pass the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The issuer network of a card number by its IIN prefix and length, or null when none matches. */
export function cardBrand(digits: string): CardBrand | null {
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  let brand: CardBrand | null = null;
  if (digits.startsWith("4")) brand = VISA;
  else if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) brand = MASTERCARD;
  else if (two === 34 || two === 37) brand = AMEX;
  else if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) brand = DISCOVER;
  else if (four >= 3528 && four <= 3589) brand = JCB;
  else if ((three >= 300 && three <= 305) || two === 36 || two === 38) brand = DINERS;
  return brand?.lengths.includes(digits.length) ? brand : null;
}

export function isTestCardNumber(digits: string): boolean {
  return TEST_NUMBERS.has(digits) || looksFabricated(digits);
}

/** Long runs of one digit, short repeating periods, ascending runs: typed by hand, not issued. */
export function looksFabricated(digits: string): boolean {
  if (/(\d)\1{5,}/.test(digits)) return true;
  if (new Set(digits).size <= 3) return true;
  for (let period = 1; period <= 4; period++) {
    let repeats = true;
    for (let index = period; index < digits.length - 1 && repeats; index++) {
      if (digits[index] !== digits[index - period]) repeats = false;
    }
    if (repeats) return true;
  }
  let ascending = 1;
  let descending = 1;
  for (let index = 1; index < digits.length; index++) {
    const step = digits.charCodeAt(index) - digits.charCodeAt(index - 1);
    ascending = step === 1 ? ascending + 1 : 1;
    descending = step === -1 ? descending + 1 : 1;
    if (ascending >= 7 || descending >= 7) return true;
  }
  return false;
}

/** Separator layouts as cards are printed: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4. */
const GROUPINGS = new Set(["4,4,4,4", "4,4,4,4,3", "4,4,4,4,1", "4,4,4,4,2", "4,6,5", "4,6,4", "4,4,4,1", "4,4,5"]);

export interface CardCandidate {
  digits: string;
  brand: CardBrand;
  /** Written with separators in a printed layout (raises confidence). */
  grouped: boolean;
}

/**
 * Judges a digit string as matched (digits with optional spaces or dashes): a real card number
 * when it has 13-19 digits, one kind of separator in a printed layout, a known issuer range and
 * length, a valid Luhn checksum, and is no published test number.
 */
export function judgeCardNumber(text: string): CardCandidate | null {
  const digits = text.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19) return null;
  const separators = new Set(text.replace(/\d/g, ""));
  if (separators.size > 1) return null;
  let grouped = false;
  if (separators.size === 1) {
    const groups = text.split(/[ -]/).map((group) => group.length);
    if (!GROUPINGS.has(groups.join(","))) return null;
    grouped = true;
  }
  const brand = cardBrand(digits);
  if (!brand || !luhnValid(digits) || isTestCardNumber(digits)) return null;
  return { digits, brand, grouped };
}

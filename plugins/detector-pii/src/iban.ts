/** International Bank Account Numbers (ISO 13616): country lengths and the mod-97 checksum. */

/** IBAN length per country (SWIFT IBAN registry). */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** Examples from the IBAN registry, ECBS and bank documentation: placeholders. */
const DOCUMENTED_EXAMPLES = new Set([
  "GB82WEST12345698765432",
  "GB29NWBK60161331926819",
  "GB33BUKB20201555555555",
  "DE89370400440532013000",
  "DE75512108001245126199",
  "FR1420041010050500013M02606",
  "FR7630006000011234567890189",
  "NL91ABNA0417164300",
  "NL02ABNA0123456789",
  "BE68539007547034",
  "CH9300762011623852957",
  "ES9121000418450200051332",
  "IT60X0542811101000000123456",
  "AT611904300234573201",
  "PL61109010140000071219812874",
  "SE4550000000058398257466",
  "NO9386011117947",
  "DK5000400440116243",
  "FI2112345600000785",
  "IE29AIBK93115212345678",
  "LU280019400644750000",
  "PT50000201231234567890154",
]);

export function ibanLength(country: string): number | undefined {
  return LENGTHS[country];
}

/** ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10..35), computed in pieces. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    let value: number;
    if (code >= 48 && code <= 57) value = code - 48;
    else if (code >= 65 && code <= 90) value = code - 55;
    else return false;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** A compact (no spaces) upper-case IBAN of the right length for its country with a valid checksum. */
export function isValidIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  if (LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  if (!ibanChecksumValid(compact)) return false;
  if (DOCUMENTED_EXAMPLES.has(compact)) return false;
  // Account parts of zeros or one repeated digit are typed placeholders.
  return !/(\d)\1{7,}/.test(compact.slice(4));
}

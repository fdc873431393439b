/**
 * Synthetic personal data built at run time from a seeded generator, so no card number, SSN or IBAN
 * sits literally in the test sources (and scanners of the repository itself stay quiet).
 */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** `prefix` + random digits + the Luhn check digit, `length` digits in all. */
export function luhnNumber(prefix: string, length: number, seed: number): string {
  const next = generator(seed);
  let body = prefix;
  while (body.length < length - 1) body += String(Math.floor(next() * 10));
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** The same digits with the last one changed: fails Luhn. */
export function breakLuhn(digits: string): string {
  const last = Number(digits.at(-1));
  return digits.slice(0, -1) + String((last + 1) % 10);
}

export function grouped(digits: string, separator = " "): string {
  if (digits.length === 15) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].join(separator);
  return (digits.match(/.{1,4}/g) ?? []).join(separator);
}

/** A German IBAN with a valid mod-97 checksum (BBAN = 18 digits). */
export function germanIban(seed: number): string {
  const next = generator(seed);
  let bban = "";
  while (bban.length < 18) bban += String(Math.floor(next() * 10));
  const remainder = BigInt(`${bban}131400`) % 97n;
  return `DE${String(98n - remainder).padStart(2, "0")}${bban}`;
}

export function ssn(seed: number): string {
  const next = generator(seed);
  const area = 100 + Math.floor(next() * 500);
  const group = 10 + Math.floor(next() * 89);
  const serial = 1000 + Math.floor(next() * 8999);
  return `${area}-${group}-${serial}`;
}

/** Seeded fake data: one of each kind. */
export function fakePii(seed = 1) {
  const visa = luhnNumber(`45${seed % 10}`, 16, seed * 31 + 1);
  const mastercard = luhnNumber("53", 16, seed * 31 + 2);
  const amex = luhnNumber("37", 15, seed * 31 + 3);
  return {
    visa,
    mastercard,
    amex,
    ssn: ssn(seed * 31 + 4),
    iban: germanIban(seed * 31 + 5),
    email: `quill.marrow${seed}@fernmail-people.io`,
    phone: "+44 7911 123987",
  };
}

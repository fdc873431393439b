/** Evidence never carries a whole value: enough to find it again, not enough to use it. */

/** `j***@example.org`: the first character of the mailbox and the domain. */
export function redactEmail(address: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, 1)}***@${address.slice(at + 1)}`;
}

/** `**** **** **** 1234 (Visa)`: only the last four digits. */
export function redactCard(digits: string, brand: string): string {
  return `${"*".repeat(Math.max(4, digits.length - 4))}${digits.slice(-4)} (${brand})`;
}

/** `***-**-1234`. */
export function redactSsn(serial: string): string {
  return `***-**-${serial}`;
}

/** `DE** **** … 3000`: the country and the last four characters. */
export function redactIban(compact: string): string {
  return `${compact.slice(0, 2)}** **** … ${compact.slice(-4)}`;
}

/** `+*********71`: the last two digits. */
export function redactPhone(digits: string, international: boolean): string {
  return `${international ? "+" : ""}${"*".repeat(Math.max(3, digits.length - 2))}${digits.slice(-2)}`;
}

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const DIGIT_RUN = /\d(?:[ -]?\d){5,}/g;

/**
 * Keys, paths and places shown in messages may themselves hold personal data (a dict keyed by email
 * address, a record index that is an account number): mask addresses and long digit runs in them.
 */
export function scrub(text: string): string {
  return text
    .replace(EMAIL_IN_TEXT, (address) => redactEmail(address))
    .replace(DIGIT_RUN, (run) => `${"*".repeat(Math.max(2, run.length - 2))}${run.slice(-2)}`);
}

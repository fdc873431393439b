/**
 * Placeholders and documented examples: values people write in docs, templates and model cards to
 * show the shape of a key. They must never fire.
 */

/** Vendor-documented example values that are public and dead. */
const DOCUMENTED_EXAMPLES = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
]);

/** Markers that only appear in templates and examples (checked case-insensitively). */
const MARKERS = [
  "example",
  "xxxx",
  "your-",
  "your_",
  "<your",
  "redacted",
  "dummy",
  "test-key",
  "changeme",
  "change-me",
  "change_me",
  "placeholder",
  "...",
  "***",
  "\u2026",
];

/** Template syntax: `${VAR}`, `{{ var }}`, `<key>`, `%(key)s`, `$VAR`. */
const TEMPLATE = /\$\{[^}]*\}|\{\{[^}]*\}\}|<[A-Za-z_ -]+>|%\([A-Za-z_]+\)s|^\$[A-Z_][A-Z0-9_]*$/;

/**
 * True when the value is a placeholder, a documented example or obviously not random. `body` is the
 * part after a fixed prefix (e.g. after `ghp_`), where sequences and repetition are judged.
 */
export function isPlaceholder(value: string, body: string = value): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  for (const example of DOCUMENTED_EXAMPLES) if (value.includes(example)) return true;
  const lower = value.toLowerCase();
  for (const marker of MARKERS) if (lower.includes(marker)) return true;
  if (TEMPLATE.test(value)) return true;
  if (/0{6,}/.test(body)) return true;
  return isObviouslyNotRandom(body);
}

/** Long runs of one character, ascending/descending sequences, or very few distinct characters. */
export function isObviouslyNotRandom(body: string): boolean {
  if (body.length === 0) return true;
  if (/(.)\1{5,}/.test(body)) return true;
  let ascending = 1;
  let descending = 1;
  for (let index = 1; index < body.length; index++) {
    const step = body.charCodeAt(index) - body.charCodeAt(index - 1);
    ascending = step === 1 ? ascending + 1 : 1;
    descending = step === -1 ? descending + 1 : 1;
    if (ascending >= 6 || descending >= 6) return true;
  }
  const distinct = new Set(body).size;
  return body.length >= 8 && distinct <= Math.min(4, Math.floor(body.length / 3));
}

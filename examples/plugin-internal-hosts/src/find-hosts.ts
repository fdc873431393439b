/**
 * Suffixes reserved for private networks, never resolvable on the public internet: `.internal`
 * (ICANN, 2024), `.home.arpa` (RFC 8375), and those RFC 6762 Appendix G lists as in common private
 * use (`.local`, `.intranet`, `.internal`, `.private`, `.corp`, `.home`, `.lan`).
 */
export const PRIVATE_SUFFIXES: readonly string[] = [
  "internal",
  "home.arpa",
  "local",
  "intranet",
  "private",
  "corp",
  "home",
  "lan",
];

/** A host found in some text, with the suffix that makes it internal and where it starts. */
export interface FoundHost {
  host: string;
  suffix: string;
  index: number;
}

// Longer texts are scanned in their first part only: a host name is short, and time must stay bounded.
const MAX_TEXT = 1024 * 1024;
const MAX_HOSTS_PER_TEXT = 100;

/**
 * Host names (at least one label before the suffix) ending in one of `suffixes`, case-insensitive.
 * A name continued by more labels (`build.local.example.com`) is not internal and is not reported.
 */
export function findInternalHosts(text: string, suffixes: readonly string[]): FoundHost[] {
  const lower = text.slice(0, MAX_TEXT).toLowerCase();
  // Cheap first: most strings contain none of the suffixes and never reach the regular expression.
  const present = suffixes.filter((suffix) => lower.includes(`.${suffix}`));
  if (present.length === 0) return [];
  const alternatives = present
    .sort((a, b) => b.length - a.length)
    .map((suffix) => suffix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|");
  // Labels of 1-63 letters, digits and inner hyphens; at most 16 of them; no label may follow the suffix.
  const pattern = new RegExp(
    `(?<![a-z0-9.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.){1,16}(${alternatives}))(?![a-z0-9-]|\\.[a-z0-9])`,
    "g",
  );
  const found: FoundHost[] = [];
  for (const match of lower.matchAll(pattern)) {
    found.push({ host: match[1] as string, suffix: match[2] as string, index: match.index });
    if (found.length >= MAX_HOSTS_PER_TEXT) break;
  }
  return found;
}

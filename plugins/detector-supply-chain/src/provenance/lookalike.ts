/**
 * Typosquatting: a namespace that reads like a popular one but is not it (`meta-1lama`, `0penai`,
 * `gooogle`, `mеta-llama` with a Cyrillic `е`). Two tests, both on names the user sees:
 * - the same skeleton: case, separators (`-`, `_`, `.`), doubled letters, confusable characters
 *   (0/o, 1/l/i, rn/m, vv/w) and letters of other scripts that look Latin are folded away first;
 * - one edit away (insert, delete, substitute, swap two neighbours) for names of six characters or
 *   more; shorter names differ by one letter too often to mean anything.
 * A name equal (ignoring case) to a protected one is that one, never a look-alike.
 */

export type LookalikeKind = "script" | "separators" | "confusable" | "edit";

export interface Lookalike {
  /** The protected name it imitates, as listed. */
  target: string;
  kind: LookalikeKind;
}

/** Names are compared after NFKC; longer strings are not namespaces. */
const MAX_NAME = 96;
const MIN_EDIT_LENGTH = 6;

/** Letters of other scripts drawn like Latin ones (Cyrillic, Greek, Armenian, IPA), folded to Latin. */
const SCRIPT_CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  ɩ: "i",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  օ: "o",
  ս: "u",
  ց: "g",
};

/** Latin characters and digits people misread as each other, folded to one. */
const ASCII_CONFUSABLES: Record<string, string> = {
  "0": "o",
  "1": "l",
  i: "l",
  "|": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
};

function foldScripts(name: string): string {
  let folded = "";
  for (const character of name) folded += SCRIPT_CONFUSABLES[character] ?? character;
  return folded;
}

function withoutSeparators(name: string): string {
  return name.replace(/[-_.\s]+/g, "");
}

/** The name reduced to what a reader sees: two names with the same skeleton are easily confused. */
export function skeleton(name: string): string {
  let text = foldScripts(withoutSeparators(name.normalize("NFKC").toLowerCase()));
  text = text.replaceAll("rn", "m").replaceAll("vv", "w");
  let folded = "";
  for (const character of text) folded += ASCII_CONFUSABLES[character] ?? character;
  // Doubled letters (`gooogle`, `faceboook`) read the same as single ones.
  return folded.replace(/(.)\1+/gu, "$1");
}

/**
 * The protected name `name` imitates, or null. `protectedNames` are the popular namespaces plus the
 * user's own; `knownNames` (the user's trusted namespaces) are never look-alikes.
 */
export function findLookalike(
  name: string,
  protectedNames: readonly string[],
  knownNames: readonly string[] = [],
): Lookalike | null {
  if (name.length === 0 || name.length > MAX_NAME) return null;
  const lower = name.normalize("NFKC").toLowerCase();
  const isKnown = (candidate: string) => candidate.toLowerCase() === lower;
  if (protectedNames.some(isKnown) || knownNames.some(isKnown)) return null;
  const nameSkeleton = skeleton(name);
  for (const target of protectedNames) {
    if (nameSkeleton === cachedSkeleton(target)) return { target, kind: skeletonKind(lower, target.toLowerCase()) };
  }
  if (lower.length < MIN_EDIT_LENGTH) return null;
  for (const target of protectedNames) {
    const targetLower = target.toLowerCase();
    if (targetLower.length >= MIN_EDIT_LENGTH && withinOneEdit(lower, targetLower)) return { target, kind: "edit" };
  }
  return null;
}

/** Skeletons of the protected names, computed once per name (the same few dozen for every file). */
const skeletons = new Map<string, string>();
const MAX_CACHED_SKELETONS = 10_000;

function cachedSkeleton(name: string): string {
  let cached = skeletons.get(name);
  if (cached === undefined) {
    cached = skeleton(name);
    if (skeletons.size < MAX_CACHED_SKELETONS) skeletons.set(name, cached);
  }
  return cached;
}

function skeletonKind(name: string, target: string): LookalikeKind {
  if (foldScripts(name) !== name) return "script";
  if (withoutSeparators(name) === withoutSeparators(target)) return "separators";
  return "confusable";
}

/** True when one insertion, deletion, substitution or swap of neighbours turns `a` into `b` (a ≠ b). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const differences: number[] = [];
    for (let index = 0; index < a.length && differences.length <= 2; index++) {
      if (a[index] !== b[index]) differences.push(index);
    }
    if (differences.length === 1) return true;
    const [first, second] = differences as [number, number];
    return differences.length === 2 && second === first + 1 && a[first] === b[second] && a[second] === b[first];
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index++;
  return shorter.slice(index) === longer.slice(index + 1);
}

import { characterClasses, shannonEntropy } from "./entropy.js";
import { findAssignments, findKeyedValue } from "./generic-credential.js";
import type { CompiledCustomPattern } from "./options.js";
import { AWS_SECRET_CANDIDATE, AWS_SECRET_CANDIDATE_RAW, hasAwsSecretContext } from "./patterns/cloud.js";
import { BUILTIN_PATTERNS } from "./patterns/index.js";
import { isPlaceholder } from "./placeholders.js";
import { redactSecret } from "./redaction.js";
import type { MatchContext, SecretMatch, SecretPattern } from "./secret-match.js";

/** Texts longer than this are scanned in overlapping windows, so regex work stays bounded per call. */
const WINDOW = 1024 * 1024;
const WINDOW_OVERLAP = 16 * 1024;

export interface AwsSecretCandidate {
  value: string;
  index: number;
  /** Named as an AWS/secret key right before it, or an access key id sits in the same text. */
  confirmed: boolean;
}

export interface TextScanResult {
  matches: SecretMatch[];
  awsSecrets: AwsSecretCandidate[];
}

export interface TextScanOptions {
  /** Run generic-credential (assignments and keyed values): text facts and code, never raw bytes. */
  generic: boolean;
  /**
   * Raw bytes: the byte next to a token is arbitrary (a pickle's BINPUT `q`, a float's byte), so
   * the patterns run without their boundary look-arounds.
   */
  raw: boolean;
  customPatterns: readonly CompiledCustomPattern[];
  isAllowed: (value: string) => boolean;
}

/** Runs every pattern over one text and resolves overlaps: structured beats generic, longer beats shorter. */
export function scanText(text: string, key: string | undefined, options: TextScanOptions): TextScanResult {
  if (text.length <= WINDOW) return scanWindow(text, key, options);
  const result: TextScanResult = { matches: [], awsSecrets: [] };
  for (let start = 0; start < text.length; start += WINDOW - WINDOW_OVERLAP) {
    const part = scanWindow(text.slice(start, start + WINDOW), key, options);
    for (const match of part.matches) result.matches.push({ ...match, index: match.index + start });
    for (const candidate of part.awsSecrets) result.awsSecrets.push({ ...candidate, index: candidate.index + start });
    if (start + WINDOW >= text.length) break;
  }
  return result;
}

function scanWindow(text: string, key: string | undefined, options: TextScanOptions): TextScanResult {
  const context: MatchContext = { text, key };
  const structured: SecretMatch[] = [];
  // Most texts (names, numbers, words) hold no pattern's anchor: one search says so for all of them.
  if (ANY_ANCHOR.test(text)) {
    for (const pattern of BUILTIN_PATTERNS) {
      if (!hasAnchor(text, pattern)) continue;
      collect(pattern, options.raw ? rawRegex(pattern) : pattern.regex, context, structured);
    }
  }
  const awsSecrets = findAwsSecrets(text, key, structured, options.raw);
  for (const candidate of awsSecrets) {
    if (!candidate.confirmed) continue;
    structured.push({
      rule: "aws-secret-key",
      messageId: "found",
      kind: "AWS secret access key",
      value: candidate.value,
      evidence: redactSecret(candidate.value),
      index: candidate.index,
      length: candidate.value.length,
      severity: "critical",
      confidence: 0.85,
    });
  }
  const kept = resolveOverlaps(structured);
  if (options.generic) {
    const generic = findAssignments(text);
    const keyed = findKeyedValue(text, key);
    if (keyed) generic.push(keyed);
    for (const match of generic) {
      const clashes = kept.some(
        (other) => overlaps(match, other) || other.value.includes(match.value) || match.value.includes(other.value),
      );
      if (!clashes && !kept.some((other) => other.rule === "generic-credential" && other.value === match.value)) {
        kept.push(match);
      }
    }
  }
  for (const custom of options.customPatterns) kept.push(...customMatches(text, custom));
  return {
    matches: kept.filter((match) => !options.isAllowed(match.value)),
    awsSecrets: awsSecrets.filter((candidate) => !options.isAllowed(candidate.value)),
  };
}

/** Every built-in pattern's anchors as one alternation: matches where at least one anchor occurs. */
const ANY_ANCHOR = new RegExp(
  [...new Set(BUILTIN_PATTERNS.flatMap((pattern) => pattern.anchors))]
    .map((anchor) => anchor.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join("|"),
);

function hasAnchor(text: string, pattern: SecretPattern): boolean {
  for (const anchor of pattern.anchors) if (text.includes(anchor)) return true;
  return false;
}

const rawRegexes = new WeakMap<SecretPattern, RegExp>();

/** The pattern's regex without its `(?<![…])` / `(?![…])` boundary checks. */
function rawRegex(pattern: SecretPattern): RegExp {
  let regex = rawRegexes.get(pattern);
  if (!regex) {
    const source = pattern.regex.source.replace(/\(\?<?!\[[^\]]*\]\)/g, "");
    regex = new RegExp(source, pattern.regex.flags);
    rawRegexes.set(pattern, regex);
  }
  return regex;
}

function collect(pattern: SecretPattern, regex: RegExp, context: MatchContext, into: SecretMatch[]): void {
  regex.lastIndex = 0;
  for (let match = regex.exec(context.text); match !== null; match = regex.exec(context.text)) {
    if (match[0].length === 0) regex.lastIndex++;
    const judged = pattern.judge(match, context);
    if (judged) into.push(judged);
  }
}

/** 40-character base64-ish strings that could be AWS secret keys, judged by their neighbourhood. */
function findAwsSecrets(
  text: string,
  key: string | undefined,
  structured: SecretMatch[],
  raw: boolean,
): AwsSecretCandidate[] {
  if (text.length < 40) return [];
  const candidates: AwsSecretCandidate[] = [];
  const accessKeyInText = structured.some((match) => match.rule === "aws-access-key");
  // In raw bytes a serializer's opcode byte may follow the value (`…/9q`): take the first 40.
  const regex = raw ? AWS_SECRET_CANDIDATE_RAW : AWS_SECRET_CANDIDATE;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    const value = match[0].slice(0, 40);
    // Random base64 of this length nearly always mixes cases and digits; hashes in hex never do.
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) continue;
    if (characterClasses(value) < 3 || shannonEntropy(value) < 4.2 || isPlaceholder(value)) continue;
    if (structured.some((other) => overlaps({ index: match.index, length: 40 }, other))) continue;
    candidates.push({
      value,
      index: match.index,
      confirmed: hasAwsSecretContext(text, match.index, key) || accessKeyInText,
    });
  }
  return candidates;
}

function customMatches(text: string, custom: CompiledCustomPattern): SecretMatch[] {
  const found: SecretMatch[] = [];
  const regex = custom.regex;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null && found.length < 100; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    if (isPlaceholder(match[0])) continue;
    found.push({
      rule: "custom-pattern",
      messageId: "found",
      kind: `${custom.description} [${custom.id}]`,
      value: match[0],
      evidence: redactSecret(match[0]),
      index: match.index,
      length: match[0].length,
      severity: custom.severity,
      confidence: 0.8,
    });
  }
  return found;
}

function overlaps(a: { index: number; length: number }, b: { index: number; length: number }): boolean {
  return a.index < b.index + b.length && b.index < a.index + a.length;
}

/** Longer matches win: an `Authorization: Bearer eyJ…` is one bearer credential, not also a JWT. */
function resolveOverlaps(matches: SecretMatch[]): SecretMatch[] {
  const ordered = [...matches].sort((a, b) => b.length - a.length || a.index - b.index);
  const kept: SecretMatch[] = [];
  for (const match of ordered) {
    if (!kept.some((other) => overlaps(match, other))) kept.push(match);
  }
  return kept.sort((a, b) => a.index - b.index);
}

import { characterClasses, shannonEntropy } from "./entropy.js";
import { isPlaceholder } from "./placeholders.js";
import { redactSecret } from "./redaction.js";
import type { SecretMatch } from "./secret-match.js";

/** Key names that hold credentials. `token` alone is not one: tokenizers are full of it. */
const CREDENTIAL_NAME =
  /password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key/i;
/** Names that mention a credential but hold something else: where it is, what it is called. */
const NOT_A_VALUE_NAME =
  /(?:[_.-](?:name|names|id|ids|file|files|path|paths|dir|arn|env|var|type|length|len|size|url|uri|field|prompt|label|hash|policy|ref|header|regex|pattern|enabled|required|min|max)|secrets?[_-]?manager)$/i;
const MIN_VALUE_LENGTH = 8;
const MAX_VALUE_LENGTH = 256;

/** `name = value`, `"name": "value"`, `name: value`, `name := value`, `name => value`. */
const ASSIGNMENT =
  /(?<![A-Za-z0-9])(["']?)([A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key)[A-Za-z0-9_.-]{0,40}?)\1[ \t]{0,4}(?::=|=>|==?|:)[ \t]{0,4}(?:(["'`])([^"'`\r\n]{1,256})\3|([^\s"'`,;)}\]]{1,256}))/gi;

/** True when a key name says its value is a credential. */
export function isCredentialName(name: string): boolean {
  // Most keys name no credential anywhere, so neither does their last part: no split for them.
  if (!CREDENTIAL_NAME.test(name)) return false;
  const last =
    name
      .split(/[./[\]]/)
      .filter(Boolean)
      .at(-1) ?? name;
  return CREDENTIAL_NAME.test(last) && !NOT_A_VALUE_NAME.test(last) && last.length <= 64;
}

/**
 * Whether a candidate value (a quoted value or an assignment's right-hand side) looks like a real
 * credential: long enough, random enough, not a placeholder, reference, path or identifier.
 */
export function isCredentialValue(value: string): boolean {
  if (value.length < MIN_VALUE_LENGTH || value.length > MAX_VALUE_LENGTH) return false;
  if (/\s/.test(value)) return false;
  if (/^(?:true|false|null|none|nil|undefined|required|optional|string|str|int|bool)$/i.test(value)) return false;
  if (/^[$%{<@(&*#]|^(?:os\.|process\.|env\.|self\.|this\.|config\.|settings\.)|getenv|environ|\(/i.test(value))
    return false;
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  // Identifiers and dotted names (`my_secret_name`, `module.attr`) are references, not values.
  if (/^[A-Za-z_][A-Za-z_.-]*$/.test(value)) return false;
  if (isPlaceholder(value)) return false;
  return shannonEntropy(value) >= 3 && characterClasses(value) >= 2;
}

function credentialMatch(name: string, value: string, index: number, length: number): SecretMatch {
  const entropy = shannonEntropy(value);
  return {
    rule: "generic-credential",
    messageId: "found",
    kind: `credential assigned to "${name.slice(0, 64)}"`,
    value,
    evidence: `${name.slice(0, 64)}=${redactSecret(value)}`,
    index,
    length,
    severity: "warning",
    confidence: Math.min(0.8, 0.45 + entropy / 20 + Math.min(value.length, 40) / 200),
  };
}

/** Credential assignments inside a text (config files, code, metadata values). */
export function findAssignments(text: string): SecretMatch[] {
  if (!CREDENTIAL_NAME.test(text)) return [];
  const found: SecretMatch[] = [];
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match !== null; match = ASSIGNMENT.exec(text)) {
    const name = match[2] as string;
    const value = (match[4] ?? match[5] ?? "").replace(/[.,;:]+$/, "");
    if (!isCredentialName(name) || !isCredentialValue(value)) continue;
    found.push(credentialMatch(name, value, match.index, match[0].length));
  }
  return found;
}

/** A whole text that is the value of a credential-named key (a config field, a pickled dict value). */
export function findKeyedValue(text: string, key: string | undefined): SecretMatch | null {
  if (key === undefined || !isCredentialName(key)) return null;
  const value = text.trim();
  if (!isCredentialValue(value)) return null;
  return credentialMatch(key, value, text.indexOf(value), value.length);
}

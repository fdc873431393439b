import type { Severity } from "@modelaudit/core";

/** Every rule name this detector reports (`secrets/<name>`). */
export const SECRET_RULES = [
  "anthropic-api-key",
  "aws-access-key",
  "aws-key-pair",
  "aws-secret-key",
  "azure-connection-string",
  "azure-storage-key",
  "basic-credential",
  "bearer-credential",
  "custom-pattern",
  "database-url",
  "generic-credential",
  "github-token",
  "gitlab-token",
  "google-api-key",
  "huggingface-token",
  "jwt",
  "npm-token",
  "openai-api-key",
  "private-key",
  "sendgrid-api-key",
  "slack-token",
  "slack-webhook",
  "stripe-key",
  "twilio-credential",
] as const;

export type SecretRule = (typeof SECRET_RULES)[number];

/** One secret found in one piece of text, before deduplication and reporting. */
export interface SecretMatch {
  rule: SecretRule;
  messageId: string;
  /** What was found, in words (`GitHub personal access token`); goes into the message. */
  kind: string;
  /** The secret itself: for deduplication and allowlists only, never reported. */
  value: string;
  /** Redacted form for evidence. */
  evidence: string;
  /** Span of the match in the scanned text (for overlap resolution and byte offsets). */
  index: number;
  length: number;
  severity: Severity;
  confidence: number;
}

/** What a pattern can see around a match to judge it. */
export interface MatchContext {
  /** The whole text being scanned. */
  text: string;
  /** The key or field the text belongs to, or a neighbouring string that looks like its key. */
  key: string | undefined;
}

/**
 * A structured pattern: a regular expression with a fixed prefix or armour, plus a judge that turns
 * a regex match into a SecretMatch or rejects it (placeholder, failed validation).
 */
export interface SecretPattern {
  /** Name for tests and diagnostics. */
  name: string;
  /** Global regular expression. No inline modifiers: Node 20's V8 rejects `(?i)`. */
  regex: RegExp;
  /** Literal substrings, at least one of which must be in the text for the regex to be worth running. */
  anchors: readonly string[];
  /** Whether anchors are compared case-insensitively. */
  anchorsIgnoreCase?: boolean;
  judge(match: RegExpExecArray, context: MatchContext): SecretMatch | null;
}

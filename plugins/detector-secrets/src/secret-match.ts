import type { Severity } from "@modelaudit/core";
import anthropicApiKey from "./rules/anthropic-api-key.js";
import awsAccessKey from "./rules/aws-access-key.js";
import awsKeyPair from "./rules/aws-key-pair.js";
import awsSecretKey from "./rules/aws-secret-key.js";
import azureConnectionString from "./rules/azure-connection-string.js";
import azureStorageKey from "./rules/azure-storage-key.js";
import basicCredential from "./rules/basic-credential.js";
import bearerCredential from "./rules/bearer-credential.js";
import customPattern from "./rules/custom-pattern.js";
import databaseUrl from "./rules/database-url.js";
import genericCredential from "./rules/generic-credential.js";
import githubToken from "./rules/github-token.js";
import gitlabToken from "./rules/gitlab-token.js";
import googleApiKey from "./rules/google-api-key.js";
import huggingfaceToken from "./rules/huggingface-token.js";
import jwt from "./rules/jwt.js";
import npmToken from "./rules/npm-token.js";
import openaiApiKey from "./rules/openai-api-key.js";
import privateKey from "./rules/private-key.js";
import sendgridApiKey from "./rules/sendgrid-api-key.js";
import slackToken from "./rules/slack-token.js";
import slackWebhook from "./rules/slack-webhook.js";
import stripeKey from "./rules/stripe-key.js";
import twilioCredential from "./rules/twilio-credential.js";

/** Every rule this detector reports (`secrets/<name>`); each rule's name is written in its own file. */
export const SECRET_RULE_LIST = [
  anthropicApiKey,
  awsAccessKey,
  awsKeyPair,
  awsSecretKey,
  azureConnectionString,
  azureStorageKey,
  basicCredential,
  bearerCredential,
  customPattern,
  databaseUrl,
  genericCredential,
  githubToken,
  gitlabToken,
  googleApiKey,
  huggingfaceToken,
  jwt,
  npmToken,
  openaiApiKey,
  privateKey,
  sendgridApiKey,
  slackToken,
  slackWebhook,
  stripeKey,
  twilioCredential,
] as const;

export type SecretRule = (typeof SECRET_RULE_LIST)[number]["name"];
export const SECRET_RULES: SecretRule[] = SECRET_RULE_LIST.map((rule) => rule.name);

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
  judge(match: RegExpExecArray, context: MatchContext): SecretMatch | null;
}

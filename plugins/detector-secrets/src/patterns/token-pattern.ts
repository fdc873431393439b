import type { Severity } from "@modelaudit/core";
import { shannonEntropy } from "../entropy.js";
import { isPlaceholder } from "../placeholders.js";
import { redactSecret } from "../redaction.js";
import type { MatchContext, SecretMatch, SecretPattern, SecretRule } from "../secret-match.js";

export interface TokenPatternOptions {
  name: string;
  rule: SecretRule;
  kind: string | ((value: string) => string);
  regex: RegExp;
  anchors: readonly string[];
  severity: Severity;
  confidence: number;
  messageId?: string;
  /** Strips the fixed prefix so placeholder and entropy checks judge only the random part. */
  prefix?: RegExp;
  /** Least Shannon entropy of the random part, when the format leaves room for doubt. */
  minEntropy?: number;
  /** Extra judgement: return false to reject, or overrides (severity, confidence, rule, kind). */
  refine?: (value: string, match: RegExpExecArray, context: MatchContext) => false | Partial<SecretMatch> | undefined;
}

/** A fixed-prefix token: the whole regex match is the secret. */
export function tokenPattern(options: TokenPatternOptions): SecretPattern {
  return {
    name: options.name,
    regex: options.regex,
    anchors: options.anchors,
    judge(match, context) {
      const value = match[0];
      const body = options.prefix ? value.replace(options.prefix, "") : value;
      if (isPlaceholder(value, body)) return null;
      if (options.minEntropy !== undefined && shannonEntropy(body) < options.minEntropy) return null;
      const refined = options.refine?.(value, match, context);
      if (refined === false) return null;
      return {
        rule: options.rule,
        messageId: options.messageId ?? "found",
        kind: typeof options.kind === "function" ? options.kind(value) : options.kind,
        value,
        evidence: redactSecret(value),
        index: match.index,
        length: value.length,
        severity: options.severity,
        confidence: options.confidence,
        ...refined,
      };
    },
  };
}

/** Text shortly before a match (same string), lower-cased, for keyword context. */
export function textBefore(context: MatchContext, index: number, span = 100): string {
  return `${context.key ?? ""}\n${context.text.slice(Math.max(0, index - span), index)}`.toLowerCase();
}

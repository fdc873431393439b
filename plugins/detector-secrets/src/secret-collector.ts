import type { Location, Origin, Severity } from "@modelaudit/core";
import { redactSecret } from "./redaction.js";
import type { SecretMatch, SecretRule } from "./secret-match.js";
import type { AwsSecretCandidate } from "./text-scanner.js";

/** A finding waiting for the end of the artifact, when duplicates across facts and bytes are known. */
export interface PendingFinding {
  rule: SecretRule;
  messageId: string;
  kind: string;
  value: string;
  evidence: string;
  severity: Severity;
  confidence: number;
  origin: Origin;
  location: Location;
  place: string;
  fromFact: boolean;
}

/** Where a match sits, for AWS pairing: facts count by position, bytes by offset. */
export interface Position {
  origin: Origin;
  location: Location;
  place: string;
  fromFact: boolean;
  /** Fact sequence number or byte offset. */
  at: number;
}

interface AwsSighting {
  value: string;
  position: Position;
  confirmed: boolean;
}

/** Facts this far apart (a pickled dict's key/value pairs) or bytes this far apart count as "together". */
const PAIR_FACT_DISTANCE = 8;
const PAIR_BYTE_DISTANCE = 1024;
/** Bounds on remembered state per artifact: hostile files full of candidates must not exhaust memory. */
const MAX_PENDING = 20_000;
const MAX_AWS_SIGHTINGS = 2_000;

/**
 * Collects matches for one artifact and reports them once it ends: the same value seen as a text
 * fact and in raw bytes is one finding (the fact's location wins), values seen in a tokenizer
 * vocabulary never fire, and an AWS key id found with its secret is one key-pair finding.
 */
export class SecretCollector {
  private readonly factFindings = new Map<string, PendingFinding>();
  private readonly byteFindings = new Map<string, PendingFinding>();
  private readonly factValues = new Map<SecretRule, Set<string>>();
  private readonly quietValues = new Set<string>();
  private readonly accessKeys = new Map<string, AwsSighting[]>();
  private readonly secretKeys = new Map<string, AwsSighting[]>();
  private awsSightings = 0;

  /** A value seen in a tokenizer vocabulary: never reported, even when raw bytes show it. */
  quiet(value: string): void {
    if (this.quietValues.size < MAX_PENDING) this.quietValues.add(value);
  }

  add(match: SecretMatch, position: Position): void {
    if (match.rule === "aws-secret-key") return; // handled through addAwsSecret, so it can pair
    if (match.rule === "aws-access-key") this.sight(this.accessKeys, match.value, position, true);
    const pending: PendingFinding = {
      rule: match.rule,
      messageId: match.messageId,
      kind: match.kind,
      value: match.value,
      evidence: match.evidence,
      severity: match.severity,
      confidence: match.confidence,
      origin: position.origin,
      location: position.location,
      place: position.place,
      fromFact: position.fromFact,
    };
    this.store(pending);
  }

  addAwsSecret(candidate: AwsSecretCandidate, position: Position): void {
    this.sight(this.secretKeys, candidate.value, position, candidate.confirmed);
  }

  /** Everything to report, deduplicated, in discovery order (facts first). */
  drain(): PendingFinding[] {
    const paired = this.pairAwsKeys();
    const results: PendingFinding[] = [];
    for (const finding of this.factFindings.values()) {
      if (paired.has(finding.value) && finding.rule !== "aws-key-pair") continue;
      results.push(finding);
    }
    for (const finding of this.byteFindings.values()) {
      if (this.seenInFacts(finding) || this.quietValues.has(finding.value)) continue;
      if (paired.has(finding.value) && finding.rule !== "aws-key-pair") continue;
      results.push(finding);
    }
    return results;
  }

  private store(pending: PendingFinding): void {
    if (this.factFindings.size + this.byteFindings.size >= MAX_PENDING) return;
    const valueKey = `${pending.rule}\0${pending.value}`;
    if (pending.fromFact) {
      const values = this.factValues.get(pending.rule) ?? new Set<string>();
      values.add(pending.value);
      this.factValues.set(pending.rule, values);
      const key = `${valueKey}\0${pending.origin.memberChain.join("\0")}\0${pending.place}`;
      if (!this.factFindings.has(key)) this.factFindings.set(key, pending);
      return;
    }
    // Raw bytes: one finding per value; the innermost source (an archive member, not the archive) wins.
    const existing = this.byteFindings.get(valueKey);
    if (!existing || existing.origin.memberChain.length < pending.origin.memberChain.length) {
      this.byteFindings.set(valueKey, pending);
    }
  }

  /**
   * Raw bytes may add a neighbouring byte to a variable-length token (`hf_…q` in a pickle), so a
   * byte finding whose value contains, or is contained in, a fact's value is the same secret.
   */
  private seenInFacts(finding: PendingFinding): boolean {
    const values = this.factValues.get(finding.rule);
    if (!values) return false;
    if (values.has(finding.value)) return true;
    for (const value of values) if (finding.value.includes(value) || value.includes(finding.value)) return true;
    return false;
  }

  private sight(into: Map<string, AwsSighting[]>, value: string, position: Position, confirmed: boolean): void {
    if (this.awsSightings >= MAX_AWS_SIGHTINGS) return;
    this.awsSightings++;
    const key = `${position.fromFact ? "fact" : "bytes"}\0${position.origin.memberChain.join("\0")}`;
    const list = into.get(key) ?? [];
    list.push({ value, position, confirmed });
    into.set(key, list);
  }

  /** Pairs each secret with the nearest access key id in the same source; returns the paired values. */
  private pairAwsKeys(): Set<string> {
    const paired = new Set<string>();
    for (const [sourceKey, secrets] of this.secretKeys) {
      const ids = this.accessKeys.get(sourceKey) ?? [];
      for (const secret of secrets) {
        const limit = secret.position.fromFact ? PAIR_FACT_DISTANCE : PAIR_BYTE_DISTANCE;
        let best: AwsSighting | undefined;
        for (const id of ids) {
          const distance = Math.abs(id.position.at - secret.position.at);
          if (distance > limit) continue;
          if (!best || distance < Math.abs(best.position.at - secret.position.at)) best = id;
        }
        if (best) {
          paired.add(best.value);
          paired.add(secret.value);
          const first = best.position.at <= secret.position.at ? best.position : secret.position;
          this.store({
            rule: "aws-key-pair",
            messageId: "found",
            kind: "AWS access key id with its secret access key",
            value: `${best.value}:${secret.value}`,
            evidence: `${redactSecret(best.value)} + ${redactSecret(secret.value)}`,
            severity: "critical",
            confidence: 0.98,
            origin: first.origin,
            location: first.location,
            place: first.place,
            fromFact: first.fromFact,
          });
        } else if (secret.confirmed) {
          this.store({
            rule: "aws-secret-key",
            messageId: "found",
            kind: "AWS secret access key",
            value: secret.value,
            evidence: redactSecret(secret.value),
            severity: "critical",
            confidence: 0.85,
            origin: secret.position.origin,
            location: secret.position.location,
            place: secret.position.place,
            fromFact: secret.position.fromFact,
          });
        }
      }
    }
    return paired;
  }
}

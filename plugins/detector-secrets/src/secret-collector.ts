import type { Location, Origin, Severity } from "@modelaudit/core";
import { redactSecret } from "./redaction.js";
import type { SecretMatch, SecretRule } from "./secret-match.js";
import type { AwsSecretCandidate } from "./text-scanner.js";

/**
 * A finding waiting for the end of the artifact, when AWS pairs and vocabulary values are known.
 * `value` and `seenIn` go to the engine, which reports a value seen in a fact and in raw bytes once.
 */
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
  seenIn: "fact" | "bytes";
}

/** Where a match sits, for AWS pairing: facts count by position, bytes by offset. */
export interface Position {
  origin: Origin;
  location: Location;
  place: string;
  seenIn: "fact" | "bytes";
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
 * Collects matches for one artifact and decides, once it ends, what to report: an AWS key id found
 * with its secret is one key-pair finding, and look-alike values seen in a tokenizer vocabulary never
 * fire from raw bytes. Which sighting of a value wins (a fact over raw bytes, the innermost member)
 * is the engine's merge, not decided here.
 */
export class SecretCollector {
  /** One finding per sighting: a value at one place of a fact, or once per source in raw bytes. */
  private readonly pending = new Map<string, PendingFinding>();
  private readonly quietValues = new Set<string>();
  private readonly accessKeys = new Map<string, AwsSighting[]>();
  private readonly secretKeys = new Map<string, AwsSighting[]>();
  private awsSightings = 0;

  /** A value seen in a tokenizer vocabulary: never reported from raw bytes. */
  quiet(value: string): void {
    if (this.quietValues.size < MAX_PENDING) this.quietValues.add(value);
  }

  add(match: SecretMatch, position: Position): void {
    if (match.rule === "aws-secret-key") return; // handled through addAwsSecret, so it can pair
    if (match.rule === "aws-access-key") this.sight(this.accessKeys, match.value, position, true);
    this.store({
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
      seenIn: position.seenIn,
    });
  }

  addAwsSecret(candidate: AwsSecretCandidate, position: Position): void {
    this.sight(this.secretKeys, candidate.value, position, candidate.confirmed);
  }

  /**
   * Everything to report, facts first. At most `maxFindings` distinct values: every sighting of a
   * value counts once, so the engine's merge of fact and raw-bytes sightings leaves the cap intact
   * (a raw-bytes value that only contains a fact's value, a neighbouring byte added, counts apart).
   */
  drain(maxFindings: number): PendingFinding[] {
    const paired = this.pairAwsKeys();
    const all = [...this.pending.values()].filter((finding) => {
      if (finding.seenIn === "bytes" && this.quietValues.has(finding.value)) return false;
      return !(paired.has(finding.value) && finding.rule !== "aws-key-pair");
    });
    const ordered = [
      ...all.filter((finding) => finding.seenIn === "fact"),
      ...all.filter((finding) => finding.seenIn === "bytes"),
    ];
    const values = new Set<string>();
    return ordered.filter((finding) => {
      const key = `${finding.rule}\0${finding.value}`;
      if (values.has(key)) return true;
      if (values.size >= maxFindings) return false;
      values.add(key);
      return true;
    });
  }

  private store(finding: PendingFinding): void {
    if (this.pending.size >= MAX_PENDING) return;
    // A value repeated in one source's raw bytes is one sighting (its first); in facts, one per place.
    const place = finding.seenIn === "fact" ? finding.place : "";
    const key = `${finding.rule}\0${finding.value}\0${finding.seenIn}\0${finding.origin.memberChain.join("\0")}\0${place}`;
    if (!this.pending.has(key)) this.pending.set(key, finding);
  }

  private sight(into: Map<string, AwsSighting[]>, value: string, position: Position, confirmed: boolean): void {
    if (this.awsSightings >= MAX_AWS_SIGHTINGS) return;
    this.awsSightings++;
    const key = `${position.seenIn}\0${position.origin.memberChain.join("\0")}`;
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
        const limit = secret.position.seenIn === "fact" ? PAIR_FACT_DISTANCE : PAIR_BYTE_DISTANCE;
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
            seenIn: first.seenIn,
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
            seenIn: secret.position.seenIn,
          });
        }
      }
    }
    return paired;
  }
}

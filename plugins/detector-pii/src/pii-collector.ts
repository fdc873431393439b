import type { Location, Origin, Severity } from "@modelaudit/core";
import type { PersonalField } from "./personal-fields.js";
import { type PiiKind, type PiiMatch, type PiiRule, RULE_OF } from "./pii-match.js";

/**
 * Where a value was seen, which decides how much it weighs: a model card is where authors put their
 * contact address, a code comment names its author, anything else (metadata, configs, pickled
 * strings, raw bytes) is data the model should not carry.
 */
export type PiiContext = "data" | "documentation" | "code";

export interface Sighting {
  origin: Origin;
  location: Location;
  place: string;
  context: PiiContext;
  seenIn: "fact" | "bytes";
}

/** A finding ready for `context.report`; `value` and `seenIn` let the engine merge sightings of a value. */
export interface PiiReport {
  rule: PiiRule;
  messageId: string;
  data: Record<string, string | number>;
  origin: Origin;
  location: Location;
  evidence: string;
  severity: Severity;
  confidence: number;
  value?: string;
  seenIn?: "fact" | "bytes";
}

interface Pending {
  match: PiiMatch;
  sighting: Sighting;
}

interface RecordTally {
  records: number;
  fields: Set<PersonalField>;
  first: Sighting;
}

const BASE_SEVERITY: Record<PiiKind, Severity> = {
  card: "critical",
  ssn: "warning",
  iban: "warning",
  phone: "info",
  email: "info",
};
/** This many distinct SSNs or IBANs in one artifact are a dataset, not a stray value: critical. */
const MANY_IDENTIFIERS = 5;
/** This many personal records in one source are a dump of training rows: critical. */
const MANY_RECORDS = 10;
/** Bounds on remembered values per artifact. */
const MAX_PENDING = 20_000;
const MAX_QUIET = 200_000;
/** Raw bytes may add a neighbouring character to an address (a pickle length byte); shorter values never count as inside another. */
const MIN_CONTAINED = 8;
const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };
const FIELD_ORDER: PersonalField[] = [
  "name",
  "email",
  "phone",
  "address",
  "birth-date",
  "government-id",
  "card",
  "iban",
];

/**
 * Values already known (from a vocabulary, or from facts): the same value, or, for an address,
 * one inside a raw-bytes value that added a neighbouring character.
 */
class KnownValues {
  private readonly values = new Set<string>();
  private readonly emails: string[] = [];

  add(match: PiiMatch): void {
    if (this.values.size >= MAX_QUIET) return;
    const key = `${match.kind}\0${match.value}`;
    if (this.values.has(key)) return;
    this.values.add(key);
    if (match.kind === "email" && match.value.length >= MIN_CONTAINED) this.emails.push(match.value);
  }

  /** The known value this match repeats, if any. */
  find(match: PiiMatch): string | undefined {
    if (this.values.has(`${match.kind}\0${match.value}`)) return match.value;
    if (match.kind !== "email") return undefined;
    return this.emails.find((value) => match.value.includes(value));
  }
}

/**
 * Collects what one artifact holds and grades it once the artifact ends, when counts are known: the
 * most telling place of a value in one source's facts wins (data over documentation over code),
 * values seen in a tokenizer vocabulary never fire, many addresses become one user-list finding, and
 * a raw-bytes value that repeats a fact's counts once. Which sighting of a value is reported (a fact
 * over raw bytes, an archive member over the archive) is the engine's merge.
 */
export class PiiCollector {
  private readonly factFindings = new Map<string, Pending>();
  private readonly byteFindings = new Map<string, Pending>();
  private readonly vocabulary = new KnownValues();
  private readonly factValues = new KnownValues();
  private readonly records = new Map<string, RecordTally>();

  constructor(
    private readonly emailThreshold: number,
    private readonly maxFindings: number,
  ) {}

  /** A value seen in a tokenizer vocabulary: never reported from raw bytes. */
  quiet(match: PiiMatch): void {
    this.vocabulary.add(match);
  }

  add(match: PiiMatch, sighting: Sighting): void {
    if (this.factFindings.size + this.byteFindings.size >= MAX_PENDING) return;
    const key = `${match.kind}\0${match.value}\0${sighting.origin.memberChain.join("\0")}`;
    if (sighting.seenIn === "fact") {
      this.factValues.add(match);
      const existing = this.factFindings.get(key);
      // The most telling place wins: data over documentation over code.
      if (!existing || contextRank(sighting.context) > contextRank(existing.sighting.context)) {
        this.factFindings.set(key, { match, sighting });
      }
      return;
    }
    // A value repeated in one source's raw bytes is one sighting: its first.
    if (!this.byteFindings.has(key)) this.byteFindings.set(key, { match, sighting });
  }

  addRecords(count: number, fields: Iterable<PersonalField>, sighting: Sighting): void {
    const key = `${sighting.origin.memberChain.join("\0")}\0${sighting.context}`;
    let tally = this.records.get(key);
    if (!tally) {
      tally = { records: 0, fields: new Set(), first: sighting };
      this.records.set(key, tally);
    }
    tally.records += count;
    for (const field of fields) tally.fields.add(field);
  }

  drain(): PiiReport[] {
    const pending = [...this.factFindings.values()];
    for (const finding of this.byteFindings.values()) {
      if (this.vocabulary.find(finding.match) === undefined) pending.push(finding);
    }
    // A raw-bytes sighting of a fact's value (the engine reports the fact's) is no other value.
    const repeats = (finding: Pending): string | undefined =>
      finding.sighting.seenIn === "bytes" ? this.factValues.find(finding.match) : undefined;

    const distinct = new Map<PiiKind, Set<string>>();
    const userEmails: Pending[] = [];
    for (const finding of pending) {
      if (finding.sighting.context !== "data" || repeats(finding) !== undefined) continue;
      const values = distinct.get(finding.match.kind) ?? new Set<string>();
      values.add(finding.match.value);
      distinct.set(finding.match.kind, values);
      if (finding.match.kind === "email" && !finding.match.roleAddress) userEmails.push(finding);
    }
    const userList = new Set(userEmails.map((finding) => finding.match.value)).size >= this.emailThreshold;

    // Each report with the value it counts as under the cap (records and the user list stand alone).
    const reports: { report: PiiReport; value: string }[] = [];
    for (const [index, tally] of [...this.records.values()].entries()) {
      reports.push({ report: recordReport(tally), value: `record\0${index}` });
    }
    if (userList) reports.push({ report: userListReport(userEmails), value: "user-list" });
    for (const finding of pending) {
      const { match, sighting } = finding;
      if (userList && match.kind === "email" && sighting.context === "data" && !match.roleAddress) continue;
      let severity = BASE_SEVERITY[match.kind];
      if (
        (match.kind === "ssn" || match.kind === "iban") &&
        (distinct.get(match.kind)?.size ?? 0) >= MANY_IDENTIFIERS
      ) {
        severity = "critical";
      }
      if (sighting.context !== "data" || match.roleAddress) severity = "info";
      const report: PiiReport = {
        rule: RULE_OF[match.kind],
        messageId: "found",
        data: { kind: match.label, place: sighting.place },
        origin: sighting.origin,
        location: sighting.location,
        evidence: match.evidence,
        severity,
        confidence: sighting.context === "data" ? match.confidence : Math.min(match.confidence, 0.5),
        value: match.value,
        seenIn: sighting.seenIn,
      };
      reports.push({ report, value: `${match.kind}\0${repeats(finding) ?? match.value}` });
    }
    // Worst first, so the cap drops the least important; it counts values, so every sighting of a
    // value kept is reported and the engine's merge picks among them.
    const ordered = reports
      .map((entry, index) => ({ ...entry, index }))
      .sort((a, b) => SEVERITY_RANK[b.report.severity] - SEVERITY_RANK[a.report.severity] || a.index - b.index);
    const kept = new Set<string>();
    const result: PiiReport[] = [];
    for (const { report, value } of ordered) {
      if (!kept.has(value)) {
        if (kept.size >= this.maxFindings) continue;
        kept.add(value);
      }
      result.push(report);
    }
    return result;
  }
}

function contextRank(context: PiiContext): number {
  return context === "data" ? 3 : context === "documentation" ? 2 : 1;
}

function recordReport(tally: RecordTally): PiiReport {
  const { first } = tally;
  let severity: Severity = tally.records >= MANY_RECORDS ? "critical" : "warning";
  if (first.context !== "data") severity = "info";
  const fields = FIELD_ORDER.filter((field) => tally.fields.has(field));
  return {
    rule: "personal-record",
    messageId: tally.records === 1 ? "found" : "foundMany",
    data: { count: tally.records, fields: fields.join(", "), place: first.place },
    origin: first.origin,
    location: first.location,
    evidence: `${tally.records} record(s) with fields: ${fields.join(", ")}`,
    severity,
    confidence: first.context === "data" ? Math.min(0.95, 0.75 + 0.05 * tally.records) : 0.5,
  };
}

function userListReport(emails: Pending[]): PiiReport {
  const unique = new Map<string, Pending>();
  for (const finding of emails) if (!unique.has(finding.match.value)) unique.set(finding.match.value, finding);
  const first = emails[0] as Pending;
  const domains = new Set([...unique.keys()].map((value) => value.slice(value.lastIndexOf("@") + 1)));
  const samples = [...unique.values()].slice(0, 3).map((finding) => finding.match.evidence);
  return {
    rule: "email-address",
    messageId: "userList",
    data: { count: unique.size, domains: domains.size, place: first.sighting.place },
    origin: first.sighting.origin,
    location: first.sighting.location,
    evidence: `${unique.size} distinct addresses, e.g. ${samples.join(", ")}`,
    severity: "warning",
    confidence: 0.85,
  };
}

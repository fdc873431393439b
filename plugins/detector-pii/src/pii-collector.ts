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
  fromFact: boolean;
}

/** A finding ready for `context.report`. */
export interface PiiReport {
  rule: PiiRule;
  messageId: string;
  data: Record<string, string | number>;
  origin: Origin;
  location: Location;
  evidence: string;
  severity: Severity;
  confidence: number;
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
 * Collects what one artifact holds and grades it once the artifact ends, when counts are known: one
 * finding per value and source (the text fact's location wins over raw bytes), values seen in a
 * tokenizer vocabulary never fire, many addresses become one user-list finding.
 */
export class PiiCollector {
  private readonly factFindings = new Map<string, Pending>();
  private readonly byteFindings = new Map<string, Pending>();
  /** Values seen in any fact (vocabulary included): raw bytes repeating them add nothing. */
  private readonly factValues = new Set<string>();
  private readonly factEmails: string[] = [];
  private readonly records = new Map<string, RecordTally>();

  constructor(
    private readonly emailThreshold: number,
    private readonly maxFindings: number,
  ) {}

  /** A value seen in a tokenizer vocabulary or otherwise known not to be data: never reported. */
  quiet(match: PiiMatch): void {
    if (this.factValues.size >= MAX_QUIET) return;
    this.factValues.add(`${match.kind}\0${match.value}`);
    if (match.kind === "email") this.factEmails.push(match.value);
  }

  add(match: PiiMatch, sighting: Sighting): void {
    if (this.factFindings.size + this.byteFindings.size >= MAX_PENDING) return;
    const valueKey = `${match.kind}\0${match.value}`;
    if (sighting.fromFact) {
      this.quiet(match);
      const key = `${valueKey}\0${sighting.origin.memberChain.join("\0")}`;
      const existing = this.factFindings.get(key);
      // The most telling place wins: data over documentation over code.
      if (!existing || contextRank(sighting.context) > contextRank(existing.sighting.context)) {
        this.factFindings.set(key, { match, sighting });
      }
      return;
    }
    // Raw bytes: one finding per value; the innermost source (an archive member) wins.
    const existing = this.byteFindings.get(valueKey);
    if (!existing || existing.sighting.origin.memberChain.length < sighting.origin.memberChain.length) {
      this.byteFindings.set(valueKey, { match, sighting });
    }
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
    for (const finding of this.byteFindings.values()) if (!this.seenInFacts(finding.match)) pending.push(finding);

    const distinct = new Map<PiiKind, Set<string>>();
    const userEmails: Pending[] = [];
    for (const finding of pending) {
      if (finding.sighting.context !== "data") continue;
      const values = distinct.get(finding.match.kind) ?? new Set<string>();
      values.add(finding.match.value);
      distinct.set(finding.match.kind, values);
      if (finding.match.kind === "email" && !finding.match.roleAddress) userEmails.push(finding);
    }
    const userList = new Set(userEmails.map((finding) => finding.match.value)).size >= this.emailThreshold;

    const reports: PiiReport[] = [];
    for (const tally of this.records.values()) reports.push(recordReport(tally));
    if (userList) reports.push(userListReport(userEmails));
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
      reports.push({
        rule: RULE_OF[match.kind] as PiiRule,
        messageId: "found",
        data: { kind: match.label, place: sighting.place },
        origin: sighting.origin,
        location: sighting.location,
        evidence: match.evidence,
        severity,
        confidence: sighting.context === "data" ? match.confidence : Math.min(match.confidence, 0.5),
      });
    }
    // Worst first, so the cap drops the least important.
    const ordered = reports
      .map((report, index) => ({ report, index }))
      .sort((a, b) => SEVERITY_RANK[b.report.severity] - SEVERITY_RANK[a.report.severity] || a.index - b.index)
      .map(({ report }) => report);
    return ordered.slice(0, this.maxFindings);
  }

  /** Raw bytes may add a neighbouring character to an address (a pickle length byte): containment counts. */
  private seenInFacts(match: PiiMatch): boolean {
    if (this.factValues.has(`${match.kind}\0${match.value}`)) return true;
    if (match.kind !== "email") return false;
    return this.factEmails.some((value) => match.value.includes(value));
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

import type {
  CodeFact,
  Detector,
  DetectorContext,
  DetectorRun,
  Fact,
  Location,
  Origin,
  PrintableString,
  TextFact,
} from "@modelaudit/core";
import { lineOf, truncateText } from "@modelaudit/core/detector";
import { AsciiRuns } from "./ascii-runs.js";
import { resolveOptions } from "./options.js";
import { fieldOfMatch, type PersonalField, personalField, plausibleValue, scanRecords } from "./personal-fields.js";
import { type PiiCollector as Collector, PiiCollector, type PiiContext, type Sighting } from "./pii-collector.js";
import { PII_RULES, type PiiMatch } from "./pii-match.js";
import { parentPath, RecordTracker } from "./record-tracker.js";
import { scrub } from "./redaction.js";
import { isPhoneKey, lastSegment, scanText, type TextScanOptions } from "./text-scanner.js";

/** No value looked for is shorter (an address `a@b.cd` has 6 characters; a short key is kept for pairing). */
const MIN_TEXT_LENGTH = 6;
const KEY_LIKE = /^[A-Za-z_][\w -]{0,39}$/;

export const piiDetector: Detector = {
  id: "pii",
  description:
    "Personal data a model should not carry (email addresses, payment cards, US SSNs, phone numbers, IBANs, memorised personal records) in metadata, configs, code and raw bytes, with redacted evidence.",
  facts: ["text", "code"],
  strings: true,
  rules: PII_RULES,
  create(context: DetectorContext): DetectorRun {
    return new PiiRun(context);
  },
};

class PiiRun implements DetectorRun {
  private readonly options: ReturnType<typeof resolveOptions>;
  private readonly collector: Collector;
  private readonly records = new RecordTracker();
  private readonly asciiRuns = new AsciiRuns();
  /** The last key-like string per source: a pickled dict's key arrives as the fact before its value. */
  private readonly lastKeyLike = new Map<string, { field: PersonalField | null; at: number }>();
  private factCount = 0;
  private readonly factScan: TextScanOptions;
  /** The value of a phone-ish key: judged as a phone number even without `+`. */
  private readonly phoneScan: TextScanOptions;
  private readonly rawScan: TextScanOptions;

  constructor(private readonly context: DetectorContext) {
    this.options = resolveOptions(context.options);
    this.collector = new PiiCollector(this.options.emailThreshold, this.options.maxFindings);
    this.factScan = { raw: false, ignoredDomains: this.options.ignoredDomains, isAllowed: this.options.isAllowed };
    // Made once: an object spread with another property costs ~0.6 µs a time in Node 20's V8.
    this.phoneScan = { ...this.factScan, phoneKey: true };
    this.rawScan = { ...this.factScan, raw: true };
  }

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind === "text") this.onText(fact, origin);
    else if (fact.kind === "code") this.onCode(fact, origin);
  }

  /** Personal data worth finding in raw bytes is ASCII: only a run's ASCII stretches are judged. */
  onString(run: PrintableString, origin: Origin): void {
    this.asciiRuns.take(run, chainKey(origin), (text, offset) => this.onAsciiRun(text, offset, origin));
  }

  finish(): void {
    for (const report of this.collector.drain()) this.context.report(report);
  }

  private onText(fact: TextFact, origin: Origin): void {
    const at = this.factCount++;
    const sourceKey = chainKey(origin);
    const previous = this.lastKeyLike.get(sourceKey);
    if (fact.role !== "vocabulary" && fact.text.length <= 40 && KEY_LIKE.test(fact.text)) {
      this.lastKeyLike.set(sourceKey, { field: personalField(fact.text), at });
    }
    if (fact.text.length < MIN_TEXT_LENGTH) return;
    if (fact.role === "vocabulary") {
      // Tokenizer vocabularies hold address- and number-shaped pieces: never judged, and quiet in raw bytes too.
      for (const match of scanText(fact.text, this.rawScan)) this.collector.quiet(match);
      return;
    }
    const keyField = fact.key !== undefined ? personalField(lastSegment(fact.key)) : null;
    const neighbourField = previous && at - previous.at === 1 ? previous.field : null;
    const field = keyField ?? neighbourField;
    // Every built-in kind needs an `@` or several digits: most strings (names, keys, words) have neither.
    const matches = mayHoldPii(fact.text)
      ? scanText(fact.text, isPhoneKey(fact.key) || field === "phone" ? this.phoneScan : this.factScan)
      : [];
    // Nothing found, no `key: value` syntax and no personal field to fill: nothing to record, so skip
    // building locations (most strings of a pickle end here).
    const fillsField = field !== null && plausibleValue(field, fact.text);
    if (matches.length === 0 && !fillsField && !/[:=]/.test(fact.text)) return;
    const context: PiiContext = fact.role === "documentation" ? "documentation" : "data";
    const location: Location = { ...fact.location };
    if (fact.key !== undefined && location.path === undefined) location.path = fact.key;
    if (location.path !== undefined) location.path = scrub(location.path);
    const sighting: Sighting = { origin, location, place: describeText(fact), context, seenIn: "fact" };
    for (const match of matches) this.collector.add(match, sighting);
    // A text that is a record on its own is not also part of one spread over facts.
    if (this.judgeRecords(fact.text, matches, sighting)) return;
    // A record spread over facts: the field this value fills (by its key, or by what it is).
    const fields = new Set<PersonalField>(matches.map(fieldOfMatch));
    if (fillsField && field) fields.add(field);
    const parent = fact.key !== undefined ? parentPath(fact.key) : undefined;
    const completed = this.records.observe(sourceKey, parent, at, [...fields], sighting);
    if (completed) this.collector.addRecords(1, completed.fields, completed.sighting);
  }

  private onCode(fact: CodeFact, origin: Origin): void {
    this.factCount++;
    const place = `${fact.language} code${fact.location?.path ? ` at ${scrub(truncateText(fact.location.path, 120))}` : ""}`;
    const texts = [fact.text, ...(fact.names && fact.names.length > 0 ? [fact.names.join("\n")] : [])];
    for (const text of texts) {
      const matches = scanText(text, this.factScan);
      for (const match of matches) {
        const location: Location = { ...fact.location };
        if (text === fact.text && location.line === undefined) location.line = lineOf(text, match.index);
        this.collector.add(match, { origin, location, place, context: "code", seenIn: "fact" });
      }
      this.judgeRecords(text, matches, {
        origin,
        location: { ...fact.location },
        place,
        context: "code",
        seenIn: "fact",
      });
    }
  }

  /** Personal records inside one text: a JSON row or a `Name: … Email: … Phone: …` line. */
  private judgeRecords(text: string, matches: readonly PiiMatch[], sighting: Sighting): boolean {
    if (matches.length === 0 && !/[:=]/.test(text)) return false;
    const scan = scanRecords(text, matches);
    if (scan.records > 0) this.collector.addRecords(scan.records, scan.fields, sighting);
    return scan.records > 0;
  }

  /** Structured values only on raw bytes (cards, SSNs, IBANs, addresses): weights are random by nature. */
  private onAsciiRun(text: string, start: number, origin: Origin): void {
    for (const match of scanText(text, this.rawScan)) {
      const offset = start + match.index;
      this.collector.add(match, {
        origin,
        location: { offset },
        place: `raw bytes at offset ${offset}`,
        context: "data",
        seenIn: "bytes",
      });
    }
  }
}

/** One key per source; the engine gives each source one member-chain array, so remember its key. */
const CHAIN_KEYS = new WeakMap<readonly string[], string>();
function chainKey(origin: Origin): string {
  let key = CHAIN_KEYS.get(origin.memberChain);
  if (key === undefined) {
    key = origin.memberChain.join("\0");
    CHAIN_KEYS.set(origin.memberChain, key);
  }
  return key;
}

/** An `@` (e-mail) or at least 7 digits (cards, SSNs, IBANs, phone numbers), unless user patterns exist. */
function mayHoldPii(text: string): boolean {
  if (text.includes("@")) return true;
  let digits = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57 && ++digits >= 7) return true;
  }
  return false;
}

function describeText(fact: TextFact): string {
  const role = fact.role ?? "text";
  if (fact.key !== undefined) return `${role} value "${scrub(truncateText(fact.key, 120))}"`;
  if (fact.location?.path !== undefined) return `${role} at ${scrub(truncateText(fact.location.path, 120))}`;
  if (fact.location?.offset !== undefined) return `${role} at offset ${fact.location.offset}`;
  if (fact.location?.line !== undefined) return `${role} at line ${fact.location.line}`;
  return role;
}

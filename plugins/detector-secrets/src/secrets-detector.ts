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
import { lineOf } from "@modelaudit/core/detector";
import { resolveOptions } from "./options.js";
import { type Position, SecretCollector } from "./secret-collector.js";
import { SECRET_RULES } from "./secret-match.js";
import { scanText, type TextScanOptions } from "./text-scanner.js";

/** A short string that looks like a key name (a pickled dict key just before its value). */
/** Shorter texts cannot hold any built-in secret. */
const MIN_SECRET_LENGTH = 8;
const KEY_LIKE = /^[A-Za-z_][\w.-]{0,63}$/;
/** A raw-bytes run this close before another is its neighbour (pickle opcodes sit between key and value). */
const NEIGHBOUR_GAP = 32;
const NEIGHBOUR_CONTEXT = 96;

/** The run before, per source: runs of one source arrive in offset order. */
interface RunNeighbour {
  previousEnd: number;
  previousTail: string;
}

export const secretsDetector: Detector = {
  id: "secrets",
  description:
    "API keys, tokens, private keys and credentials in metadata, configs, code and raw bytes (tensor data included), with redacted evidence.",
  facts: ["text", "code"],
  strings: true,
  rules: SECRET_RULES,
  create(context: DetectorContext): DetectorRun {
    return new SecretsRun(context);
  },
};

class SecretsRun implements DetectorRun {
  private readonly options: ReturnType<typeof resolveOptions>;
  private readonly collector = new SecretCollector();
  private readonly neighbours = new Map<string, RunNeighbour>();
  /** The last key-like string per source, for values that arrive as the next fact. */
  private readonly lastKeyLike = new Map<string, { text: string; at: number }>();
  private factCount = 0;
  private readonly factScan: TextScanOptions;
  private readonly structuredScan: TextScanOptions;
  private readonly rawScan: TextScanOptions;

  constructor(private readonly context: DetectorContext) {
    this.options = resolveOptions(context.options);
    this.factScan = {
      generic: true,
      raw: false,
      customPatterns: this.options.patterns,
      isAllowed: this.options.isAllowed,
    };
    this.structuredScan = { ...this.factScan, generic: false };
    this.rawScan = { ...this.factScan, generic: false, raw: true };
  }

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind === "text") this.onText(fact, origin);
    else if (fact.kind === "code") this.onCode(fact, origin);
  }

  finish(): void {
    for (const finding of this.collector.drain(this.options.maxFindings)) {
      this.context.report({
        rule: finding.rule,
        messageId: finding.messageId,
        data: { kind: finding.kind, place: finding.place },
        origin: finding.origin,
        location: finding.location,
        evidence: finding.evidence,
        confidence: finding.confidence,
        severity: finding.severity,
        value: finding.value,
        seenIn: finding.seenIn,
      });
    }
  }

  private onText(fact: TextFact, origin: Origin): void {
    const at = this.factCount++;
    const sourceKey = chainKey(origin);
    const previous = this.lastKeyLike.get(sourceKey);
    if (KEY_LIKE.test(fact.text)) this.lastKeyLike.set(sourceKey, { text: fact.text, at });
    // No built-in secret is this short (the shortest, a generic credential value, has 8 characters):
    // pickles and vocabularies carry hundreds of thousands of such strings.
    if (fact.text.length < MIN_SECRET_LENGTH && this.options.patterns.length === 0) return;
    if (fact.role === "vocabulary") {
      // Tokenizer vocabularies never fire, and their look-alike pieces stay quiet in raw bytes too.
      // A complete live-format key (critical) is not silenced in the raw bytes: handlers label
      // config keys such as `hub_token` as vocabulary, and a real token there is a leak.
      for (const match of scanText(fact.text, fact.key, this.structuredScan).matches) {
        if (match.severity !== "critical") this.collector.quiet(match.value);
      }
      return;
    }
    const neighbourKey = previous && at - previous.at === 1 ? previous.text : undefined;
    const key = fact.key ?? neighbourKey;
    const scan = fact.role === "name" ? this.structuredScan : this.factScan;
    const result = scanText(fact.text, key, scan);
    const location: Location = { ...fact.location };
    if (fact.key !== undefined && location.path === undefined) location.path = fact.key;
    const position: Position = { origin, location, place: describeText(fact), seenIn: "fact", at };
    for (const match of result.matches) this.collector.add(match, position);
    for (const candidate of result.awsSecrets) this.collector.addAwsSecret(candidate, position);
  }

  private onCode(fact: CodeFact, origin: Origin): void {
    const at = this.factCount++;
    const place = `${fact.language} code${fact.location?.path ? ` at ${fact.location.path}` : ""}`;
    const texts = [fact.text, ...(fact.names && fact.names.length > 0 ? [fact.names.join("\n")] : [])];
    for (const text of texts) {
      const result = scanText(text, undefined, this.factScan);
      for (const match of result.matches) {
        const location: Location = { ...fact.location };
        const line = lineOf(text, match.index);
        if (text === fact.text && location.line === undefined) location.line = line;
        this.collector.add(match, { origin, location, place, seenIn: "fact", at });
      }
      for (const candidate of result.awsSecrets) {
        this.collector.addAwsSecret(candidate, { origin, location: { ...fact.location }, place, seenIn: "fact", at });
      }
    }
  }

  /** Structured patterns only on raw bytes: entropy is no verdict on weights, which are random by nature. */
  onString(run: PrintableString, origin: Origin): void {
    const key = chainKey(origin);
    let stream = this.neighbours.get(key);
    if (!stream) {
      stream = { previousEnd: Number.NEGATIVE_INFINITY, previousTail: "" };
      this.neighbours.set(key, stream);
    }
    const neighbour = run.offset - stream.previousEnd <= NEIGHBOUR_GAP ? stream.previousTail : undefined;
    const byteLength = run.ascii ? run.text.length : Buffer.byteLength(run.text, "utf8");
    stream.previousEnd = run.offset + byteLength;
    stream.previousTail = run.text.slice(-NEIGHBOUR_CONTEXT);
    const result = scanText(run.text, neighbour, this.rawScan);
    const positionOf = (index: number): Position => {
      const offset = run.offset + byteDelta(run, index);
      return { origin, location: { offset }, place: `raw bytes at offset ${offset}`, seenIn: "bytes", at: offset };
    };
    for (const match of result.matches) this.collector.add(match, positionOf(match.index));
    for (const candidate of result.awsSecrets) this.collector.addAwsSecret(candidate, positionOf(candidate.index));
  }
}

function chainKey(origin: Origin): string {
  return origin.memberChain.join("\0");
}

function byteDelta(run: PrintableString, index: number): number {
  return run.ascii ? index : Buffer.byteLength(run.text.slice(0, index), "utf8");
}

function describeText(fact: TextFact): string {
  const role = fact.role ?? "text";
  if (fact.key !== undefined) return `${role} value "${fact.key.slice(0, 120)}"`;
  if (fact.location?.path !== undefined) return `${role} at ${fact.location.path.slice(0, 120)}`;
  if (fact.location?.offset !== undefined) return `${role} at offset ${fact.location.offset}`;
  if (fact.location?.line !== undefined) return `${role} at line ${fact.location.line}`;
  return role;
}

import { createHash, type Hash } from "node:crypto";
import path from "node:path";
import type { ResolvedConfig } from "../config.js";
import type { Fact, FactKind } from "../facts.js";
import type { Check, Finding } from "../findings.js";
import { LimitError, TimeLimitError } from "../limits.js";
import {
  type ArtifactSummary,
  type DetectorRun,
  formatMessage,
  type Origin,
  type ParseContext,
  type ReportInput,
  type SniffInput,
} from "../plugin.js";
import type { FileEntry } from "../report.js";
import { FileSource, SliceSource, type Source } from "../source.js";
import { unclaimedModelReason } from "./model-names.js";
import type { RegisteredDetector, Registry } from "./registry.js";

const SNIFF_HEAD = 64 * 1024;
const SNIFF_TAIL = 64 * 1024 + 22;
const CHUNK = 4 * 1024 * 1024;
/** A skip list covering every offset: the bytes are read for the hash only. */
const ALL: [number, number][] = [[0, Number.MAX_SAFE_INTEGER]];

interface ActiveDetector {
  registered: RegisteredDetector;
  run: DetectorRun;
  /** Findings per rule name, for checks. */
  fired: Map<string, number>;
  /** Whether any fact or byte reached it, for checks. */
  fed: boolean;
}

export interface ArtifactResult {
  entry: FileEntry;
  findings: Finding[];
  checks: Check[];
}

/** Scans one top-level file: every nested source, every handler that claims it, every detector. */
export async function scanArtifact(
  filePath: string,
  size: number,
  registry: Registry,
  config: ResolvedConfig,
): Promise<ArtifactResult> {
  const scan = new ArtifactScan(filePath, registry, config);
  return scan.run(size);
}

class ArtifactScan {
  private readonly started = Date.now();
  private readonly deadline: number;
  private readonly findings: Finding[] = [];
  private readonly findingKeys = new Set<string>();
  private readonly formats = new Set<string>();
  private readonly reasons: string[] = [];
  private readonly active: ActiveDetector[];
  private readonly byKind = new Map<FactKind, ActiveDetector[]>();
  private readonly byteDetectors: ActiveDetector[];
  private members = 0;
  private inflated = 0;
  private facts = 0;
  private factsDropped = false;
  private sha256: string | null = null;
  private errored = false;

  constructor(
    private readonly file: string,
    private readonly registry: Registry,
    private readonly config: ResolvedConfig,
  ) {
    this.deadline = this.started + config.limits.timeoutMs;
    this.active = registry.detectors.map((registered) => {
      const active: ActiveDetector = { registered, run: {}, fired: new Map(), fed: false };
      active.run = registered.detector.create({
        report: (input) => this.report(active, input),
        inconclusive: (reason, origin) => {
          const where = origin.memberChain.length > 0 ? origin.memberChain.join(" > ") : this.file;
          this.reasons.push(`${where}: ${registered.detector.id}: ${reason}`);
        },
        options: config.options[registered.namespace] ?? {},
        level: config.level,
        identify: () => [],
      });
      return active;
    });
    for (const detector of this.active) {
      for (const kind of detector.registered.detector.facts) {
        const list = this.byKind.get(kind) ?? [];
        list.push(detector);
        this.byKind.set(kind, list);
      }
    }
    this.byteDetectors = this.active.filter((detector) => detector.registered.detector.bytes && detector.run.onBytes);
  }

  async run(size: number): Promise<ArtifactResult> {
    const source = new FileSource(this.file, size);
    try {
      await this.scanSource(source, [], 0, []);
    } catch (error) {
      if (TimeLimitError.isInstance(error)) {
        this.reasons.push(`time limit of ${this.config.limits.timeoutMs} ms reached; the rest was not scanned`);
      } else if (LimitError.isInstance(error)) {
        this.reasons.push(error.message);
      } else {
        this.errored = true;
        this.reasons.push(`scan failed: ${describeError(error)}`);
      }
    } finally {
      await source.close?.().catch(() => undefined);
    }
    const artifact: ArtifactSummary = { file: this.file, size, sha256: this.sha256, formats: [...this.formats].sort() };
    for (const detector of this.active) {
      if (detector.registered.detector.artifact && this.sha256 !== null) detector.fed = true;
      try {
        detector.run.finish?.(artifact);
      } catch (error) {
        this.reasons.push(`detector ${detector.registered.detector.id} failed: ${describeError(error)}`);
      }
    }
    return {
      entry: {
        path: this.file,
        size,
        formats: [...this.formats].sort(),
        sha256: this.sha256,
        outcome: this.outcome(),
        reasons: this.reasons,
        members: this.members,
        durationMs: Date.now() - this.started,
      },
      findings: this.findings,
      checks: this.checks(),
    };
  }

  private outcome(): FileEntry["outcome"] {
    if (this.errored) return "error";
    if (this.findings.some((finding) => finding.severity !== "info")) return "findings";
    if (this.reasons.length > 0) return "inconclusive";
    return this.findings.length > 0 ? "findings" : "clean";
  }

  private checkDeadline(): void {
    if (Date.now() > this.deadline) throw new TimeLimitError(`time limit reached scanning ${this.file}`);
  }

  private async scanSource(
    source: Source,
    chain: string[],
    depth: number,
    parentFormats: string[],
    /** The parent declared these bytes tensor data: left to the thorough level's byte pass. */
    tensorData = false,
  ): Promise<void> {
    this.checkDeadline();
    const label = chain.length > 0 ? chain.join(" > ") : this.file;
    const formats: string[] = [];
    const origin: Origin = { file: this.file, memberChain: chain, formats };

    const head = await source.read(0, SNIFF_HEAD);
    const tail = source.size > SNIFF_HEAD ? await source.read(Math.max(0, source.size - SNIFF_TAIL), SNIFF_TAIL) : head;
    const name = path.basename(chain.at(-1) ?? this.file);
    const sniffInput: SniffInput = {
      head,
      tail,
      size: source.size,
      name,
      extension: extensionOf(name),
      parentFormats,
    };
    const covered: [number, number][] = [];
    const tensorRanges: [number, number][] = [];
    const claimed = this.registry.handlers.filter((handler) => {
      try {
        return handler.sniff(sniffInput);
      } catch (error) {
        this.reasons.push(`${label}: ${handler.id} sniffing failed: ${describeError(error)}`);
        return false;
      }
    });
    for (const handler of claimed) {
      formats.push(handler.id);
      this.formats.add(handler.id);
    }
    if (claimed.length === 0) {
      const unread = unclaimedModelReason(name, sniffInput.extension, source.size);
      if (unread) this.reasons.push(`${label}: ${unread}`);
    }

    const context: ParseContext = {
      source,
      file: this.file,
      memberChain: chain,
      limits: this.config.limits,
      level: this.config.level,
      emit: (fact) => {
        if (fact.kind === "tensor" && fact.data && fact.data.member === undefined) {
          tensorRanges.push([fact.data.offset, fact.data.offset + fact.data.length]);
        }
        this.emit(fact, origin);
      },
      emitTensor: (fact) => this.emit(fact, origin),
      addFormat: (format) => {
        if (!formats.includes(format)) formats.push(format);
        this.formats.add(format);
      },
      scanChild: async (childName, child) => {
        const inTensor =
          this.config.level === "standard" &&
          child instanceof SliceSource &&
          child.parent === source &&
          tensorRanges.some(([start, end]) => child.start >= start && child.start + child.size <= end);
        const streamed = await this.scanChild(childName, child, chain, depth, formats, inTensor);
        // A member read in place was streamed to the byte detectors as its own source.
        if (streamed && child instanceof SliceSource && child.parent === source) {
          covered.push([child.start, child.start + child.size]);
        }
      },
      inconclusive: (reason) => this.reasons.push(`${label}: ${reason}`),
      checkDeadline: () => this.checkDeadline(),
      chargeInflated: (bytes) => this.chargeInflated(bytes),
    };
    for (const handler of claimed) {
      try {
        await handler.parse(context);
      } catch (error) {
        if (TimeLimitError.isInstance(error)) throw error;
        if (LimitError.isInstance(error)) this.reasons.push(`${label}: ${error.message}`);
        else this.reasons.push(`${label}: ${handler.id} could not parse it: ${describeError(error)}`);
      }
    }

    // After parsing, one pass over the bytes feeds the hash (top-level file, every byte) and the byte
    // detectors (every byte not already streamed as a member read in place). The quick level reads
    // structure only, and tensor data at the standard level is left to the thorough level: byte
    // detectors see just the head that sniffing read anyway.
    if (this.config.level === "quick" || tensorData) {
      if (this.byteDetectors.length > 0) this.feedBytes(head, 0, origin, [], true);
      return;
    }
    // The standard level leaves declared tensor data (weights) to the thorough level: it hashes
    // those bytes but does not hand them to byte detectors.
    const skipped = this.config.level === "standard" ? [...covered, ...tensorRanges] : covered;
    const hash = depth === 0 ? createHash("sha256") : undefined;
    const detectorsWanted = this.byteDetectors.length > 0;
    if (hash || detectorsWanted) await this.streamBytes(source, origin, hash, detectorsWanted ? skipped : ALL);
    if (hash) this.sha256 = hash.digest("hex");
  }

  /** Scans a nested source; false when it was not scanned (nested too deep). */
  private async scanChild(
    name: string,
    child: Source,
    chain: string[],
    depth: number,
    formats: string[],
    tensorData: boolean,
  ): Promise<boolean> {
    const childChain = [...chain, name];
    if (depth + 1 > this.config.limits.maxDepth) {
      this.reasons.push(
        `${childChain.join(" > ")}: nesting deeper than ${this.config.limits.maxDepth} levels was not scanned`,
      );
      return false;
    }
    this.members++;
    if (this.members > this.config.limits.maxMembers) {
      throw new LimitError(`more than ${this.config.limits.maxMembers} nested members; the rest were not scanned`);
    }
    try {
      await this.scanSource(child, childChain, depth + 1, formats, tensorData);
    } finally {
      await child.close?.().catch(() => undefined);
    }
    return true;
  }

  private chargeInflated(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > this.config.limits.maxInflatedBytes) {
      throw new LimitError(`decompressed more than ${this.config.limits.maxInflatedBytes} bytes in total`);
    }
  }

  private async streamBytes(
    source: Source,
    origin: Origin,
    hash: Hash | undefined,
    covered: [number, number][],
  ): Promise<void> {
    covered.sort((a, b) => a[0] - b[0]);
    for (let offset = 0; offset < source.size; offset += CHUNK) {
      this.checkDeadline();
      const chunk = await source.read(offset, CHUNK);
      if (chunk.length === 0) break;
      hash?.update(chunk);
      this.feedBytes(chunk, offset, origin, covered, false);
    }
    if (covered !== ALL) {
      for (const detector of this.byteDetectors) this.guard(detector, () => detector.run.onBytesEnd?.(origin));
    }
  }

  /** Hands the parts of a chunk outside `covered` ranges to every byte detector (and ends the stream if asked). */
  private feedBytes(chunk: Uint8Array, offset: number, origin: Origin, covered: [number, number][], end: boolean) {
    if (this.byteDetectors.length === 0) return;
    let position = offset;
    const chunkEnd = offset + chunk.length;
    const parts: [number, number][] = [];
    for (const [start, stop] of covered) {
      if (stop <= position || start >= chunkEnd) continue;
      if (start > position) parts.push([position, start]);
      position = Math.max(position, stop);
    }
    if (position < chunkEnd) parts.push([position, chunkEnd]);
    for (const [start, stop] of parts) {
      const part = chunk.subarray(start - offset, stop - offset);
      for (const detector of this.byteDetectors) {
        detector.fed = true;
        this.guard(detector, () => detector.run.onBytes?.(part, start, origin));
      }
    }
    if (end) for (const detector of this.byteDetectors) this.guard(detector, () => detector.run.onBytesEnd?.(origin));
  }

  private emit(fact: Fact, origin: Origin): void {
    const detectors = this.byKind.get(fact.kind);
    if (!detectors) return;
    if (++this.facts > this.config.limits.maxFacts) {
      if (!this.factsDropped) {
        this.factsDropped = true;
        this.reasons.push(`more than ${this.config.limits.maxFacts} facts; the rest were not judged`);
      }
      return;
    }
    for (const detector of detectors) {
      detector.fed = true;
      this.guard(detector, () => detector.run.onFact?.(fact, origin));
    }
  }

  /** A detector bug on hostile input makes the artifact inconclusive, never crashes the scan. */
  private guard(detector: ActiveDetector, action: () => void): void {
    try {
      action();
    } catch (error) {
      if (TimeLimitError.isInstance(error)) throw error;
      this.reasons.push(`detector ${detector.registered.detector.id} failed: ${describeError(error)}`);
    }
  }

  private report(detector: ActiveDetector, input: ReportInput): void {
    const { namespace, detector: definition } = detector.registered;
    const ruleId = `${namespace}/${input.rule}`;
    const rule = this.registry.rules.get(ruleId);
    if (!rule || !definition.rules.includes(input.rule)) {
      throw new Error(`detector ${definition.id} reported undeclared rule ${ruleId}`);
    }
    const setting = this.config.rules[ruleId];
    if (setting === "off") return;
    const template = rule.meta.messages[input.messageId];
    if (template === undefined) throw new Error(`rule ${ruleId} has no message ${input.messageId}`);
    const message = formatMessage(template, input.data);
    const finding: Finding = {
      ruleId,
      severity: setting ?? input.severity ?? rule.meta.severity,
      confidence: input.confidence ?? rule.meta.confidence,
      detector: definition.id,
      messageId: input.messageId,
      message,
      file: this.file,
      memberChain: [...input.origin.memberChain],
      remediation: rule.meta.remediation,
      references: rule.meta.references,
    };
    if (input.location) finding.location = input.location;
    if (input.evidence !== undefined) finding.evidence = input.evidence;
    const key = `${ruleId}\0${finding.memberChain.join("\0")}\0${input.location?.offset ?? ""}\0${message}`;
    if (this.findingKeys.has(key)) return;
    this.findingKeys.add(key);
    this.findings.push(finding);
    detector.fired.set(input.rule, (detector.fired.get(input.rule) ?? 0) + 1);
  }

  private checks(): Check[] {
    const checks: Check[] = [];
    for (const detector of this.active) {
      const { namespace, detector: definition } = detector.registered;
      for (const rule of definition.rules) {
        const ruleId = `${namespace}/${rule}`;
        const fired = detector.fired.get(rule) ?? 0;
        const check: Check = { ruleId, file: this.file, status: "passed", findings: fired };
        if (this.config.rules[ruleId] === "off") {
          check.status = "skipped";
          check.reason = "disabled in config";
        } else if (definition.levels && !definition.levels.includes(this.config.level)) {
          check.status = "skipped";
          check.reason = `runs at the ${definition.levels.join("/")} level, not ${this.config.level}`;
        } else if (fired > 0) {
          check.status = "failed";
        } else if (!detector.fed) {
          check.status = "skipped";
          check.reason = `nothing to check: no ${definition.facts.join("/")} facts${definition.bytes ? " or bytes" : ""}`;
        }
        checks.push(check);
      }
    }
    return checks;
  }
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

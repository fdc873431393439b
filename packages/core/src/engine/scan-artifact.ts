import type { ResolvedConfig } from "../config.js";
import type { Fact } from "../facts.js";
import type { Check, Finding } from "../findings.js";
import { LimitError, TimeLimitError } from "../limits.js";
import {
  type ArtifactSummary,
  type DetectorRun,
  formatMessage,
  type NoteInput,
  type Origin,
  type ParseContext,
  type ReportInput,
} from "../plugin.js";
import type { FileEntry, MemberDigest as ReportedMemberDigest } from "../report.js";
import { FileSource, type Source } from "../source.js";
import { type ByteSinks, feedHead, runRootPass } from "./byte-pass.js";
import { artifactChecks, type CheckCounts, cleanArtifactChecks } from "./checks.js";
import {
  isLoaded,
  loadArtifactDetectors,
  loadDetector,
  loadError,
  waitsForFact,
  wakesOnTensors,
} from "./detector-loading.js";
import type { HashAlgorithm } from "./digester.js";
import { type ActiveDetector, FactBus } from "./fact-bus.js";
import { createFileHash } from "./file-hash.js";
import { type MemberDigest, WindowDigests } from "./member-digests.js";
import { mergeSightings, type Sighting } from "./merge-sightings.js";
import { unclaimedModelReason } from "./model-names.js";
import type { Registry } from "./registry.js";
import { claimingHandlers, identifyBytes, sniffInput } from "./sniff.js";
import { covers, createNode, type SourceNode } from "./source-node.js";
import { TensorChannel } from "./tensor-channel.js";
import type { TensorFeed } from "./tensor-feed.js";

const DECODED_CHUNK = 4 * 1024 * 1024;
const EMPTY_HEAD = new Uint8Array(0);
/** The run of a detector not created (yet): one shared empty object, not one per detector and file. */
const NO_RUN: DetectorRun = Object.freeze({});
/**
 * The options of a plugin the config gives none: one object for every detector and file, so the
 * detectors that read theirs once per options object (a WeakMap) read them once per scan.
 */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

export interface ArtifactResult {
  entry: FileEntry;
  findings: Finding[];
  checks: Check[];
  /** Checks counted but not listed (a clean file's checks without notes, with `omitCleanChecks`). */
  omittedChecks?: CheckCounts;
  /** Real paths of files beside this model that its loader reads as its data, and this scan read so. */
  dataFiles?: string[];
  /**
   * The reason in `entry.reasons` that says this file's name says model and no handler read it:
   * lifted when another model of the same scan reads the file as its data (`settleDataFiles`).
   */
  unreadModelName?: string;
}

export interface ArtifactScanOptions {
  /**
   * A clean file's checks are counted, not listed: a scan of many clean files then keeps (and sends
   * between threads) a few numbers per file instead of one object per rule.
   */
  omitCleanChecks?: boolean;
  /** Told the bytes of the file its byte pass has read so far (every 4 MiB): progress within a large file. */
  onRead?: (bytes: number) => void;
}

/** Scans one top-level file: every nested source, every handler that claims it, every detector. */
export async function scanArtifact(
  filePath: string,
  size: number,
  registry: Registry,
  config: ResolvedConfig,
  options: ArtifactScanOptions = {},
): Promise<ArtifactResult> {
  // Lazy detectors that every artifact creates are imported before the first one (once per process).
  await loadArtifactDetectors(registry, config.level);
  const scan = new ArtifactScan(filePath, registry, config, options.onRead);
  return scan.run(size, options.omitCleanChecks === true);
}

/**
 * Findings the report lists for one rule and severity in one file; the rest are counted in its check.
 * A backstop above the caps detectors keep themselves (code-execution lists 200 and a summary).
 */
export const MAX_LISTED_FINDINGS_PER_RULE = 500;

/**
 * The scan of one artifact: the structure pass (sniff, parse, facts to detectors, nested sources
 * recursively), then each root source's single byte pass (hash, byte detectors, strings, tensors).
 */
class ArtifactScan {
  private readonly started = Date.now();
  private readonly deadline: number;
  private readonly findings: Finding[] = [];
  private readonly findingKeys = new Set<string>();
  /** Findings listed so far per rule id and severity, and those counted past the cap. */
  private readonly listed = new Map<string, number>();
  private readonly unlisted = new Map<
    string,
    { detector: ActiveDetector; rule: string; severity: string; count: number }
  >();
  private readonly formats = new Set<string>();
  private readonly reasons: string[] = [];
  private readonly active: ActiveDetector[];
  private readonly facts: FactBus;
  private readonly tensors: TensorChannel;
  private readonly sinks: ByteSinks;
  private members = 0;
  private inflated = 0;
  private sha256: string | null = null;
  private sha512: string | undefined;
  /** Whether members and decoded streams are hashed (the scan asked, or a detector's options need it). */
  private readonly digestMembers: boolean;
  private readonly algorithms: readonly HashAlgorithm[];
  private readonly memberDigests: MemberDigest[] = [];
  private readonly sightings: Sighting[] = [];
  private readonly dataFiles = new Set<string>();
  private unreadModelName: string | undefined;
  private errored = false;

  constructor(
    private readonly file: string,
    private readonly registry: Registry,
    private readonly config: ResolvedConfig,
    private readonly onRead?: (bytes: number) => void,
  ) {
    this.deadline = this.started + config.limits.timeoutMs;
    this.active = registry.detectors.map((registered) => {
      // Every field set from the start: one object shape for all, so the hot paths reading them stay monomorphic.
      const active: ActiveDetector = {
        registered,
        run: NO_RUN,
        fed: false,
        fired: undefined,
        notes: undefined,
        waiting: undefined,
        wanted: false,
      };
      const { detector } = registered;
      // A lazy detector fed only by facts is created on its first fact (its code may not be loaded yet).
      if (waitsForFact(detector, config.level)) active.waiting = [];
      else if (isLoaded(detector)) active.run = this.createRun(active);
      else if (loadError(detector) !== undefined) this.detectorFailed(active, loadError(detector));
      return active;
    });
    this.digestMembers =
      config.level !== "quick" &&
      (config.digests?.members === true || this.active.some(({ run }) => run.digestMembers));
    this.algorithms = config.digests?.sha512 ? ["sha256", "sha512"] : ["sha256"];
    this.facts = new FactBus(
      this.active,
      config.limits.maxFacts,
      (detector, error) => this.detectorFailed(detector, error),
      (reason) => this.reasons.push(reason),
      (detector) => this.wake(detector),
      this.active.filter((active) => active.waiting && wakesOnTensors(active.registered.detector, config.level)),
    );
    // Tensor data is read at every level but quick, when a detector active at this level asks for it
    // (a detector's `levels` decide whether it runs at standard).
    const tensorSubscribers =
      config.level === "quick"
        ? []
        : this.active.filter(({ registered, run, waiting }) => {
            const { tensors, levels } = registered.detector;
            // A waiting detector is created before any tensor's data starts (its `tensor` fact woke it).
            return tensors && (run.onTensor || waiting) && (!levels || levels.includes(config.level));
          });
    const readsTensorData = tensorSubscribers.length > 0;
    this.tensors = new TensorChannel({
      readsTensorData,
      subscribers: tensorSubscribers,
      inconclusive: (node, reason) => this.reasons.push(`${node.label}: ${reason}`),
      detectorFailed: (detector, error) => this.detectorFailed(detector, error),
    });
    const byteDetectors = this.active.filter((detector) => detector.registered.detector.bytes && detector.run.onBytes);
    const stringDetectors = this.active.filter(
      (detector) => detector.registered.detector.strings && detector.run.onString,
    );
    // The calls below are guarded inline, not through `guard`: a closure per chunk, string and
    // detector adds up over thousands of small files.
    this.sinks = {
      wantsBytes: byteDetectors.length > 0 || stringDetectors.length > 0,
      onBytes: (chunk, offset, origin) => {
        // Bytes went through the strings extractor: its subscribers were checked, whether or not it found text.
        for (const detector of stringDetectors) detector.fed = true;
        for (const detector of byteDetectors) {
          detector.fed = true;
          try {
            detector.run.onBytes?.(chunk, offset, origin);
          } catch (error) {
            this.detectorFailed(detector, error);
          }
        }
      },
      onBytesEnd: (origin) => {
        for (const detector of byteDetectors) {
          try {
            detector.run.onBytesEnd?.(origin);
          } catch (error) {
            this.detectorFailed(detector, error);
          }
        }
      },
      onString:
        stringDetectors.length === 0
          ? null
          : (run, origin) => {
              for (const detector of stringDetectors) {
                detector.fed = true;
                try {
                  detector.run.onString?.(run, origin);
                } catch (error) {
                  this.detectorFailed(detector, error);
                }
              }
            },
      checkDeadline: () => this.checkDeadline(),
      incompleteTensor: (feed) => this.incompleteTensor(feed),
    };
  }

  /** With `omitCleanChecks`, a clean file's bare checks are counted, not listed (see `cleanArtifactChecks`). */
  async run(size: number, omitCleanChecks: boolean): Promise<ArtifactResult> {
    const source = new FileSource(this.file, size);
    try {
      await this.scanSource(source, undefined, this.file, [], 0);
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
    // Facts left waiting when the scan stopped early (a limit) are still judged.
    await this.settleWaiting();
    const formats = [...this.formats].sort();
    const members = this.digestMembers ? reportedMembers(this.memberDigests) : undefined;
    const artifact: ArtifactSummary = {
      file: this.file,
      size,
      sha256: this.sha256,
      formats,
      ...(this.sha512 !== undefined && { sha512: this.sha512 }),
      ...(members && { members }),
    };
    for (const detector of this.active) {
      if (detector.registered.detector.artifact && this.sha256 !== null) detector.fed = true;
      try {
        detector.run.finish?.(artifact);
      } catch (error) {
        this.detectorFailed(detector, error);
      }
    }
    for (const { detector, finding } of mergeSightings(this.sightings)) this.keep(detector, finding);
    this.noteUnlisted();
    const outcome = this.outcome();
    const entry: FileEntry = {
      path: this.file,
      size,
      formats,
      sha256: this.sha256,
      outcome,
      reasons: this.reasons,
      members: this.members,
      durationMs: Date.now() - this.started,
      ...(this.config.digests?.sha512 && this.sha512 !== undefined && { sha512: this.sha512 }),
      ...(this.config.digests?.members && members && { memberDigests: members }),
    };
    const data = {
      ...(this.dataFiles.size > 0 && { dataFiles: [...this.dataFiles].sort() }),
      ...(this.unreadModelName !== undefined && { unreadModelName: this.unreadModelName }),
    };
    if (omitCleanChecks && outcome === "clean") {
      // A check with notes (a signer, a license, a known-good digest) says something about a clean
      // file that the report must keep; only the bare passes are counted.
      const { checks, omitted } = cleanArtifactChecks(this.file, this.active, this.config);
      return { entry, findings: this.findings, checks, omittedChecks: omitted, ...data };
    }
    return { entry, findings: this.findings, checks: artifactChecks(this.file, this.active, this.config), ...data };
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

  /** Sniffs and parses one source (children recursively), then runs its byte pass if it is a root. */
  private async scanSource(
    source: Source,
    parent: SourceNode | undefined,
    name: string,
    chain: string[],
    depth: number,
  ): Promise<void> {
    this.checkDeadline();
    const label = chain.length > 0 ? chain.join(" > ") : this.file;
    const formats: string[] = [];
    const origin: Origin = { file: this.file, memberChain: chain, formats };
    const node = createNode(source, origin, label, parent, EMPTY_HEAD);
    if (parent) {
      const siblings = parent.children.get(name) ?? [];
      siblings.push(node);
      parent.children.set(name, siblings);
      this.tensors.memberCreated(node, name);
    }
    const inPlace = parent !== undefined && node.root !== node;
    const tensorRanges = inPlace ? [...(parent?.tensorRanges ?? []), ...node.tensorRanges] : node.tensorRanges;
    const allTensorData =
      parent !== undefined && source.size > 0 && covers(tensorRanges, node.rootStart, node.rootStart + source.size);
    // The quick level reads structure, not weights: a member that is all declared tensor data (a
    // checkpoint's storage) is neither sniffed nor read, so quick costs no read per storage member.
    if (this.config.level === "quick" && allTensorData) return;
    const input = await sniffInput(source, name, parent?.origin.formats ?? []);
    node.head = input.head;
    // Levels that read no data, and sources that are all tensor data at the standard level (a
    // checkpoint's storage members), give byte detectors the head only.
    node.headOnly = this.config.level === "quick" || (this.config.level === "standard" && allTensorData);

    const claimed = claimingHandlers(this.registry, input, (handler, error) =>
      this.reasons.push(`${label}: ${handler.id} sniffing failed: ${describeError(error)}`),
    );
    // A probing handler's label waits for its parse to find the format (addFormat).
    for (const { handler, probe } of claimed) if (!probe) this.addFormat(formats, handler.id);

    const context: ParseContext = {
      source,
      file: this.file,
      memberChain: chain,
      limits: this.config.limits,
      level: this.config.level,
      emit: (fact) => this.emit(node, fact),
      emitTensor: (fact, data) => {
        this.facts.emit(fact, origin);
        this.tensors.decoded(node, fact, data);
      },
      addFormat: (format) => this.addFormat(formats, format),
      scanChild: (childName, child) => this.scanChild(node, childName, child, chain, depth),
      inconclusive: (reason) => this.reasons.push(`${label}: ${reason}`),
      checkDeadline: () => this.checkDeadline(),
      chargeInflated: (bytes) => this.chargeInflated(bytes),
      readsDataFile: (filePath) => {
        if (chain.length === 0) this.dataFiles.add(filePath);
      },
    };
    for (const { handler } of claimed) {
      try {
        await handler.parse(context);
      } catch (error) {
        if (TimeLimitError.isInstance(error)) throw error;
        if (LimitError.isInstance(error)) this.reasons.push(`${label}: ${error.message}`);
        else this.reasons.push(`${label}: ${handler.id} could not parse it: ${describeError(error)}`);
      }
    }
    // Unclaimed (or only probed, and the probes found nothing): a model-named source was not read.
    if (formats.length === 0) {
      const unread = unclaimedModelReason(input.name, input.extension, source.size);
      if (unread) {
        const reason = `${label}: ${unread}`;
        this.reasons.push(reason);
        if (parent === undefined) this.unreadModelName = reason;
      }
    }
    await this.settleWaiting();
    this.tensors.containerEnded(node);

    await this.readDecodedTensors(node);
    if (this.config.level === "quick") {
      feedHead(node, this.sinks);
      return;
    }
    if (node.headOnly) feedHead(node, this.sinks);
    if (node.root === node) {
      const size = node.source.size;
      const hash = depth === 0 || this.digestMembers ? createFileHash(size, undefined, this.algorithms) : undefined;
      const windows =
        this.digestMembers && node.rootPass ? new WindowDigests(node.rootPass.segments, this.algorithms) : undefined;
      const read = await runRootPass(node, this.sinks, {
        hash,
        skipTensorData: this.config.level === "standard",
        ...(windows && { windows }),
        ...(depth === 0 && this.onRead && { onRead: this.onRead }),
      });
      if (windows) this.memberDigests.push(...(await windows.results()));
      if (!hash) return;
      const digests = await hash.digest();
      if (depth === 0) {
        this.sha256 = digests.sha256;
        this.sha512 = digests.sha512;
      } else if (read === size) {
        // A decoded stream read to its end (one that ended early has no digest rather than a wrong one).
        this.memberDigests.push({ memberChain: [...chain], size, digests });
      }
    }
  }

  private async scanChild(parent: SourceNode, name: string, child: Source, chain: string[], depth: number) {
    const childChain = [...chain, name];
    if (depth + 1 > this.config.limits.maxDepth) {
      this.reasons.push(
        `${childChain.join(" > ")}: nesting deeper than ${this.config.limits.maxDepth} levels was not scanned`,
      );
      return;
    }
    this.members++;
    if (this.members > this.config.limits.maxMembers) {
      throw new LimitError(`more than ${this.config.limits.maxMembers} nested members; the rest were not scanned`);
    }
    try {
      await this.scanSource(child, parent, name, childChain, depth + 1);
    } finally {
      await child.close?.().catch(() => undefined);
    }
  }

  private emit(node: SourceNode, fact: Fact): void {
    this.facts.emit(fact, node.origin);
    if (fact.kind === "tensor") this.tensors.declared(node, fact);
  }

  /** Tensors whose bytes a handler decodes: each read start to end, now, while its source is open. */
  private async readDecodedTensors(node: SourceNode): Promise<void> {
    for (const { feed, source } of node.sourceFeeds.splice(0)) {
      try {
        for (let offset = 0; feed.remaining > 0; offset += DECODED_CHUNK) {
          this.checkDeadline();
          const chunk = await source.read(offset, DECODED_CHUNK);
          if (chunk.length === 0) break;
          feed.push(chunk);
        }
      } catch (error) {
        if (TimeLimitError.isInstance(error) || LimitError.isInstance(error)) {
          feed.end();
          throw error;
        }
        this.reasons.push(`${node.label}: tensor ${JSON.stringify(feed.fact.name)}: ${describeError(error)}`);
      } finally {
        // A handler's tensor source may hold a file open (ONNX external data, checkpoint shards).
        await source.close?.().catch(() => undefined);
      }
      if (!feed.end()) this.incompleteTensor(feed);
    }
  }

  private incompleteTensor(feed: TensorFeed): void {
    const where = feed.dataOrigin.memberChain.length > 0 ? feed.dataOrigin.memberChain.join(" > ") : this.file;
    this.reasons.push(
      `${where}: the data of tensor ${JSON.stringify(feed.fact.name)} could not be read to its end (${feed.byteLength - feed.remaining} of ${feed.byteLength} bytes)`,
    );
  }

  private addFormat(formats: string[], format: string): void {
    if (!formats.includes(format)) formats.push(format);
    this.formats.add(format);
  }

  private addReason(origin: Origin, reason: string): void {
    const where = origin.memberChain.length > 0 ? origin.memberChain.join(" > ") : this.file;
    this.reasons.push(`${where}: ${reason}`);
  }

  private chargeInflated(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > this.config.limits.maxInflatedBytes) {
      throw new LimitError(`decompressed more than ${this.config.limits.maxInflatedBytes} bytes in total`);
    }
  }

  private createRun(active: ActiveDetector): DetectorRun {
    const { registered } = active;
    return registered.detector.create({
      report: (input) => this.report(active, input),
      inconclusive: (reason, origin) => this.addReason(origin, `${registered.detector.id}: ${reason}`),
      options: this.config.options[registered.namespace] ?? NO_OPTIONS,
      level: this.config.level,
      identify: (bytes, options) => identifyBytes(this.registry, bytes, options),
      note: (input) => this.note(active, input),
    });
  }

  /**
   * A waiting detector got a fact: created now when its code is loaded (the facts that waited are
   * handed over first), else its import starts and the fact waits (until `settleWaiting`).
   */
  private wake(active: ActiveDetector): void {
    const { detector } = active.registered;
    const waited = active.waiting ?? [];
    if (isLoaded(detector)) {
      active.waiting = undefined;
      this.guard(active, () => {
        active.run = this.createRun(active);
      });
      for (const { fact, origin } of waited) this.guard(active, () => active.run.onFact?.(fact, origin));
    } else if (loadError(detector) !== undefined) {
      active.waiting = undefined;
      this.detectorFailed(active, loadError(detector));
    } else {
      active.wanted = true;
      void loadDetector(detector);
    }
  }

  /** Creates the detectors whose code was loading when their first facts came, and hands them those facts. */
  private async settleWaiting(): Promise<void> {
    let wanted = false;
    for (const active of this.active) wanted ||= active.waiting !== undefined && active.wanted === true;
    if (!wanted) return; // most sources: nothing to wait for, nothing allocated
    const waiting = this.active.filter((active) => active.waiting && active.wanted);
    await Promise.all(waiting.map((active) => loadDetector(active.registered.detector)));
    for (const active of waiting) this.wake(active);
  }

  /** A detector bug on hostile input makes the artifact inconclusive, never crashes the scan. */
  private guard(detector: ActiveDetector, action: () => void): void {
    try {
      action();
    } catch (error) {
      if (TimeLimitError.isInstance(error)) throw error;
      this.detectorFailed(detector, error);
    }
  }

  /** Reports a detector that threw (a time limit is rethrown: it stops the artifact's scan). */
  private detectorFailed(detector: ActiveDetector, error: unknown): void {
    if (TimeLimitError.isInstance(error)) throw error;
    this.reasons.push(`detector ${detector.registered.detector.id} failed: ${describeError(error)}`);
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
    if (input.value !== undefined && input.seenIn !== undefined) {
      // Held to the end of the artifact, when every sighting of the value is known.
      this.sightings.push({ detector, finding, value: input.value, seenIn: input.seenIn });
      return;
    }
    this.keep(detector, finding);
  }

  private note(detector: ActiveDetector, input: NoteInput): void {
    const { namespace, detector: definition } = detector.registered;
    const ruleId = `${namespace}/${input.rule}`;
    const rule = this.registry.rules.get(ruleId);
    if (!rule || !definition.rules.includes(input.rule)) {
      throw new Error(`detector ${definition.id} noted undeclared rule ${ruleId}`);
    }
    const template = rule.meta.messages[input.messageId];
    if (template === undefined) throw new Error(`rule ${ruleId} has no message ${input.messageId}`);
    detector.notes ??= new Map();
    const notes = detector.notes.get(input.rule) ?? [];
    const message = formatMessage(template, input.data);
    if (!notes.includes(message)) notes.push(message);
    detector.notes.set(input.rule, notes);
  }

  private keep(detector: ActiveDetector, finding: Finding): void {
    const key = `${finding.ruleId}\0${finding.memberChain.join("\0")}\0${finding.location?.offset ?? ""}\0${finding.message}`;
    if (this.findingKeys.has(key)) return;
    this.findingKeys.add(key);
    const rule = finding.ruleId.slice(detector.registered.namespace.length + 1);
    detector.fired ??= new Map();
    detector.fired.set(rule, (detector.fired.get(rule) ?? 0) + 1);
    // A hostile file can repeat one problem ten thousand times (a member per traversal path): the
    // report lists the first ones of each rule and severity and counts the rest in the rule's check.
    const listedKey = `${finding.ruleId}\0${finding.severity}`;
    const listed = this.listed.get(listedKey) ?? 0;
    if (listed >= MAX_LISTED_FINDINGS_PER_RULE) {
      this.unlisted.set(listedKey, {
        detector,
        rule,
        severity: finding.severity,
        count: (this.unlisted.get(listedKey)?.count ?? 0) + 1,
      });
      return;
    }
    this.listed.set(listedKey, listed + 1);
    this.findings.push(finding);
  }

  /** Says in each capped rule's check how many of its findings the report does not list. */
  private noteUnlisted(): void {
    for (const { detector, rule, severity, count } of this.unlisted.values()) {
      detector.notes ??= new Map();
      const notes = detector.notes.get(rule) ?? [];
      notes.push(
        `${count} more ${severity} findings of this rule in this file are counted here, not listed (the report lists ${MAX_LISTED_FINDINGS_PER_RULE} per rule and severity)`,
      );
      detector.notes.set(rule, notes);
    }
  }
}

/** Member digests as the report and detectors see them: each member once, in chain order. */
function reportedMembers(digests: readonly MemberDigest[]): ReportedMemberDigest[] {
  const seen = new Set<string>();
  const members: ReportedMemberDigest[] = [];
  for (const { memberChain, size, digests: values } of digests) {
    const key = `${memberChain.join("\0")}\0${values.sha256}`;
    if (seen.has(key)) continue;
    seen.add(key);
    members.push({ memberChain, size, sha256: values.sha256, ...(values.sha512 && { sha512: values.sha512 }) });
  }
  return members.sort((left, right) => {
    const a = left.memberChain.join("\0");
    const b = right.memberChain.join("\0");
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

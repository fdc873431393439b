import type { AnomalyFact, Detector, DetectorContext, EntryFact, Fact, Origin, ReportInput } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { ARCHIVE_FORMATS } from "./archive-formats.js";
import { ARCHIVE_SAFETY_DESCRIPTOR, ARCHIVE_SAFETY_RULES } from "./descriptor.js";
import { canonicalMemberName, classifyLinkTarget, classifyMemberName } from "./member-paths.js";
import { type ArchiveSafetyOptions, resolveOptions } from "./options.js";

/**
 * What this run knows about one reading of an archive: the members one container format lists in
 * one source. A source read as two containers (a tar ending in a zip is also a zip with prepended
 * data) has a reading per container, each with its own names; sources that share a member chain
 * (two members of one name, or one name listed by two readings) are separate archives.
 */
interface ReadingState {
  entries: number;
  /** Canonical member name → the raw name that first used it. */
  names: Map<string, string>;
  reportedDuplicates: Set<string>;
}

/** One source that emitted entry facts. */
interface ArchiveState {
  /** By the container format of the entries (`EntryFact.container`; "" when a handler gives none). */
  readings: Map<string, ReadingState>;
  /** Entry offset → local header name, for entries whose local name differs. */
  localNames: Map<number, string>;
}

const NAME_MESSAGES = {
  unc: "uncPath",
  "drive-letter": "driveLetter",
  absolute: "absolutePath",
  escapes: "parentSegments",
  "parent-inside": "parentSegmentsInside",
} as const;

const LINK_MESSAGES = { system: "systemTarget", absolute: "absoluteTarget", escapes: "escapingTarget" } as const;

export const archiveSafetyDetector: Detector = {
  ...ARCHIVE_SAFETY_DESCRIPTOR,
  create(context) {
    return new ArchiveSafetyRun(context, resolveOptions(context.options));
  },
};

class ArchiveSafetyRun {
  /** By source: the engine passes one origin object with every fact of a source. */
  private readonly archives = new Map<Origin, ArchiveState>();
  /** Member chains of the sources that emitted entries (nesting depth counts them). */
  private readonly archiveChains = new Set<string>();

  constructor(
    private readonly context: DetectorContext,
    private readonly options: ArchiveSafetyOptions,
  ) {}

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind === "entry") this.onEntry(fact, origin);
    else if (fact.kind === "anomaly") this.onAnomaly(fact, origin);
  }

  private report(input: Omit<ReportInput, "origin">, origin: Origin): void {
    this.context.report({ ...input, origin });
  }

  private archiveFor(origin: Origin): ArchiveState {
    let archive = this.archives.get(origin);
    if (!archive) {
      archive = { readings: new Map(), localNames: new Map() };
      this.archives.set(origin, archive);
      const key = chainKey(origin.memberChain);
      if (!this.archiveChains.has(key)) {
        this.archiveChains.add(key);
        this.checkNesting(origin);
      }
    }
    return archive;
  }

  private readingFor(archive: ArchiveState, entry: EntryFact): ReadingState {
    const container = entry.container ?? "";
    let reading = archive.readings.get(container);
    if (!reading) {
      reading = { entries: 0, names: new Map(), reportedDuplicates: new Set() };
      archive.readings.set(container, reading);
    }
    return reading;
  }

  /**
   * A detector sees only the current source's formats, so depth counts the enclosing sources that
   * also emitted entry facts (were archives): the member chain's prefixes already seen as archives,
   * plus this one. Parents emit their entries before their members are scanned, so they are known.
   * A compressed stream that emits no entries (`.tar.gz`'s gzip layer) does not count.
   */
  private checkNesting(origin: Origin): void {
    const chain = origin.memberChain;
    let depth = 1;
    for (let length = 0; length < chain.length; length++) {
      if (this.archiveChains.has(chainKey(chain.slice(0, length)))) depth++;
    }
    // Only the first level past the threshold reports, so one deep branch gives one finding.
    if (depth === Math.floor(this.options.maxNesting) + 1) {
      this.report(
        { rule: "excessive-nesting", messageId: "tooDeep", data: { depth, maxNesting: this.options.maxNesting } },
        origin,
      );
    }
  }

  private onEntry(entry: EntryFact, origin: Origin): void {
    const archive = this.archiveFor(origin);
    const reading = this.readingFor(archive, entry);
    reading.entries++;
    const location = entry.location;
    const name = displayName(entry.name);
    const evidence = truncateText(JSON.stringify(entry.name), 200);

    if (reading.entries === Math.floor(this.options.maxEntries) + 1) {
      this.report(
        { rule: "excessive-entries", messageId: "tooManyEntries", data: { maxEntries: this.options.maxEntries } },
        origin,
      );
    }

    // The local name is what a streaming extractor writes: judge both names.
    const names =
      entry.localName !== undefined && entry.localName !== entry.name ? [entry.name, entry.localName] : [entry.name];
    for (const candidate of names) {
      const problem = classifyMemberName(candidate);
      if (!problem) continue;
      const input: Omit<ReportInput, "origin"> = {
        rule: "path-traversal",
        messageId: NAME_MESSAGES[problem],
        data: { name: displayName(candidate) },
        evidence: truncateText(JSON.stringify(candidate), 200),
      };
      // `a/../b` lands inside the root: worth a look, not an attack by itself.
      if (problem === "parent-inside") input.severity = "warning";
      if (location) input.location = location;
      this.report(input, origin);
    }

    if ((entry.type === "symlink" || entry.type === "hardlink") && entry.linkTarget) {
      const problem = classifyLinkTarget(entry.name, entry.type, entry.linkTarget);
      if (problem) {
        const input: Omit<ReportInput, "origin"> = {
          rule: "link-escape",
          messageId: LINK_MESSAGES[problem],
          data: { type: entry.type, name, target: displayName(entry.linkTarget) },
          evidence: truncateText(`${JSON.stringify(entry.name)} -> ${JSON.stringify(entry.linkTarget)}`, 300),
        };
        if (location) input.location = location;
        this.report(input, origin);
      }
    }

    this.checkSizes(entry, origin);

    const canonical = canonicalMemberName(entry.name);
    if (canonical !== "") {
      const first = reading.names.get(canonical);
      if (first === undefined) reading.names.set(canonical, entry.name);
      else if (!reading.reportedDuplicates.has(canonical)) {
        reading.reportedDuplicates.add(canonical);
        const input: Omit<ReportInput, "origin"> = {
          rule: "duplicate-name",
          messageId: "duplicate",
          data: { name, first: displayName(first) },
          evidence,
        };
        if (location) input.location = location;
        this.report(input, origin);
      }
    }

    if (entry.localName !== undefined && entry.localName !== entry.name) {
      if (location?.offset !== undefined) archive.localNames.set(location.offset, entry.localName);
      const input: Omit<ReportInput, "origin"> = {
        rule: "header-mismatch",
        messageId: "nameMismatch",
        data: { name, localName: displayName(entry.localName) },
        evidence: truncateText(`${JSON.stringify(entry.name)} vs ${JSON.stringify(entry.localName)}`, 300),
      };
      if (location) input.location = location;
      this.report(input, origin);
    }
  }

  private checkSizes(entry: EntryFact, origin: Origin): void {
    if (entry.type !== "file") return;
    const { size, compressedSize } = entry;
    if (!Number.isFinite(size) || size < 0) return;
    const base: Omit<ReportInput, "origin"> = { rule: "decompression-bomb", messageId: "hugeSize" };
    if (entry.location) base.location = entry.location;
    if (size > this.options.maxEntrySize) {
      this.report(
        { ...base, data: { name: displayName(entry.name), size, maxSize: this.options.maxEntrySize } },
        origin,
      );
      return;
    }
    if (compressedSize === undefined || !Number.isFinite(compressedSize) || compressedSize < 0) return;
    if (size < this.options.ratioMinSize) return;
    // A member that declares data but no compressed bytes has an unbounded ratio.
    const ratio = size / Math.max(compressedSize, 1);
    if (ratio > this.options.maxRatio) {
      this.report(
        {
          ...base,
          messageId: "highRatio",
          data: {
            name: displayName(entry.name),
            ratio: Math.round(ratio),
            size,
            compressedSize,
            maxRatio: this.options.maxRatio,
          },
        },
        origin,
      );
    }
  }

  private onAnomaly(anomaly: AnomalyFact, origin: Origin): void {
    const reason = truncateText(anomaly.message, 200);
    const base: Omit<ReportInput, "origin"> = { rule: "header-mismatch", messageId: "anomaly", data: { reason } };
    if (anomaly.location) base.location = anomaly.location;
    // Other formats use these codes too (a GGUF duplicate key, a safetensors index that disagrees
    // with its shards): only archives' anomalies are this detector's business.
    if (!this.isArchive(origin)) return;
    if (anomaly.code === "header-mismatch") {
      if (!this.alreadyReportedName(anomaly, origin)) this.report(base, origin);
      return;
    }
    if (anomaly.code !== "limit-exceeded") return;
    const limit = classifyLimit(anomaly.message);
    if (limit === "ratio") this.report({ ...base, rule: "decompression-bomb", messageId: "decodingStopped" }, origin);
    else if (limit === "count")
      this.report({ ...base, rule: "excessive-entries", messageId: "listingStopped" }, origin);
  }

  /** A handler may report a local/central name mismatch both ways: as the entry's localName and as an anomaly. */
  private alreadyReportedName(anomaly: AnomalyFact, origin: Origin): boolean {
    const offset = anomaly.location?.offset;
    if (offset === undefined) return false;
    const localName = this.archives.get(origin)?.localNames.get(offset);
    return localName !== undefined && anomaly.message.includes(JSON.stringify(localName));
  }

  private isArchive(origin: Origin): boolean {
    return (
      this.archiveChains.has(chainKey(origin.memberChain)) ||
      origin.formats.some((format) => ARCHIVE_FORMATS.has(format))
    );
  }
}

/**
 * Which bound a `limit-exceeded` anomaly from an archive hit. The fact carries only free text, so
 * this reads the wording format-archive uses: a compression-ratio bound is a bomb; a member-count
 * bound is an excessive listing; an in-memory bound on an honest large member is neither (the
 * handler already made the artifact inconclusive).
 */
function classifyLimit(message: string): "ratio" | "count" | null {
  if (/\bratio\b/i.test(message)) return "ratio";
  if (/\b(members?|entries|files)\b/i.test(message) && !/in-memory/i.test(message)) return "count";
  return null;
}

function chainKey(chain: readonly string[]): string {
  return JSON.stringify(chain);
}

function displayName(name: string): string {
  return truncateText(JSON.stringify(name).slice(1, -1), 120);
}

export { ARCHIVE_SAFETY_RULES };

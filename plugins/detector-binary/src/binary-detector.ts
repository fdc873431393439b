import path from "node:path";
import type { Detector, DetectorContext, Origin, ReportInput } from "@modelaudit/core";
import { FORMATS, ruleNames } from "@modelaudit/core";
import {
  describeExecutable,
  describeShebang,
  type ExecutableFormat,
  type ShebangMatch,
} from "@modelaudit/format-executable";
import { type ExecutableHit, ExecutableScanner } from "./executable-scanner.js";
import { extensionOf, judgeExtension } from "./extension-mismatch.js";
import { EXTENSION_TABLE } from "./extension-table.js";
import { type BinaryOptions, resolveOptions } from "./options.js";
import embeddedExecutable from "./rules/embedded-executable.js";
import extensionMismatch from "./rules/extension-mismatch.js";

/** What one scanned source showed, kept until finish(). */
interface SourceRecord {
  origin: Origin;
  /** Member name, or the file's base name at top level. */
  name: string;
  hits: ExecutableHit[];
  shebang: ShebangMatch | null;
}

/** The format-executable handlers whose labels say a source is native code, and the ones identify asks. */
const EXECUTABLE_FORMATS: readonly string[] = [FORMATS.elf, FORMATS.pe, FORMATS.machO];

/** Content labels for extension-mismatch, finer than the handler ids (a universal binary). */
const FORMAT_LABELS: Record<ExecutableFormat, string> = {
  ELF: FORMATS.elf,
  PE: FORMATS.pe,
  "Mach-O": FORMATS.machO,
  "Mach-O universal": "mach-o-universal",
};

const DEEP_CONFIDENCE = 0.6;
const SHEBANG_CONFIDENCE = 0.8;

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const BINARY_RULES = [embeddedExecutable, extensionMismatch];

export const binaryDetector: Detector = {
  id: "binary",
  description:
    "Finds executables at the start of sources (their format labels) and inside raw bytes (identify), and compares what a source is with what its name says.",
  facts: [],
  bytes: true,
  rules: ruleNames(BINARY_RULES),
  create(context) {
    return new BinaryRun(context, resolveOptions(context.options));
  },
};

class BinaryRun {
  private readonly scanners = new Map<Origin, ExecutableScanner>();
  private readonly records: SourceRecord[] = [];

  constructor(
    private readonly context: DetectorContext,
    private readonly options: BinaryOptions,
  ) {}

  private scannerFor(origin: Origin): ExecutableScanner {
    let scanner = this.scanners.get(origin);
    if (!scanner) {
      let limited = false;
      const identify = (window: Uint8Array) => {
        const found = this.context.identify(window, { formats: EXECUTABLE_FORMATS, magicOnly: true });
        // A flood of bare magics can hide a real header past the engine's bound: never a silent pass.
        if (found.limited && !limited) {
          limited = true;
          this.context.inconclusive(
            "more executable magic numbers than the engine sniffs in one window; some were not checked",
            origin,
          );
        }
        return found;
      };
      scanner = new ExecutableScanner(identify, this.options.maxFindingsPerSource, this.context.level !== "quick");
      this.scanners.set(origin, scanner);
    }
    return scanner;
  }

  onBytes(chunk: Uint8Array, offset: number, origin: Origin): void {
    this.scannerFor(origin).push(chunk, offset);
  }

  /**
   * The engine labels a source when it sniffs it, before its bytes stream past, so what starts the
   * source is known here; the head the scanner kept gives the details. Handlers may add other labels
   * while parsing, so the extension judgement waits for finish().
   */
  onBytesEnd(origin: Origin): void {
    const scanner = this.scannerFor(origin);
    scanner.end();
    this.scanners.delete(origin);
    const name = origin.memberChain.at(-1) ?? path.basename(origin.file);
    const start = origin.formats.some((format) => EXECUTABLE_FORMATS.includes(format))
      ? describeExecutable(scanner.head)
      : null;
    const hits = start ? [{ offset: 0, match: start }, ...scanner.hits] : scanner.hits;
    hits.length = Math.min(hits.length, this.options.maxFindingsPerSource);
    const shebang = origin.formats.includes(FORMATS.shebangScript) ? describeShebang(scanner.head) : null;
    if (hits.length === 0 && shebang === null && !EXTENSION_TABLE[extensionOf(name)]) return;
    this.records.push({ origin, name, hits, shebang });
  }

  finish(): void {
    // A source cut short by the time limit never got onBytesEnd: keep what its bytes showed.
    for (const origin of [...this.scanners.keys()]) this.onBytesEnd(origin);
    for (const record of this.records) {
      this.reportExecutables(record);
      this.reportMismatch(record);
    }
  }

  private reportExecutables(record: SourceRecord): void {
    const { origin, name } = record;
    if (record.shebang) {
      this.context.report({
        rule: "embedded-executable",
        messageId: "shebangScript",
        data: { name: display(name), interpreter: record.shebang.interpreter },
        origin,
        location: { offset: 0 },
        severity: "warning",
        confidence: SHEBANG_CONFIDENCE,
      });
    }
    // A stored archive member shows up twice: deep inside the archive's bytes, then at the start
    // of the member. The member's finding is the precise one.
    const deepHitsCovered = record.hits.some((hit) => hit.offset > 0) && this.descendantHasHit(record);
    for (const hit of record.hits) {
      const data = {
        name: display(name),
        format: hit.match.format,
        kind: hit.match.kind,
        architecture: hit.match.architecture,
      };
      const input: ReportInput = { rule: "embedded-executable", messageId: "executableAtStart", data, origin };
      input.location = { offset: hit.offset };
      if (hit.offset > 0) {
        if (deepHitsCovered) continue;
        input.messageId = "executableInside";
        input.data = { ...data, offset: hit.offset };
        input.severity = "warning";
        input.confidence = DEEP_CONFIDENCE;
      }
      this.context.report(input);
    }
  }

  private descendantHasHit(record: SourceRecord): boolean {
    const chain = record.origin.memberChain;
    return this.records.some(
      (other) =>
        other !== record &&
        (other.hits.length > 0 || other.shebang !== null) &&
        other.origin.memberChain.length > chain.length &&
        chain.every((member, index) => other.origin.memberChain[index] === member),
    );
  }

  private reportMismatch(record: SourceRecord): void {
    // The described label first: of two executable labels (`mach-o-universal`, the handler's `mach-o`)
    // the message names the first.
    const start = record.hits.find((hit) => hit.offset === 0);
    const labels = start ? [FORMAT_LABELS[start.match.format], ...record.origin.formats] : [...record.origin.formats];
    const mismatch = judgeExtension(record.name, labels);
    if (!mismatch) return;
    this.context.report({
      rule: "extension-mismatch",
      messageId: "contentContradictsName",
      data: { name: display(record.name), content: mismatch.content, promises: mismatch.promises },
      origin: record.origin,
      severity: mismatch.severity,
    });
  }
}

function display(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > 120 ? `${escaped.slice(0, 120)}…` : escaped;
}

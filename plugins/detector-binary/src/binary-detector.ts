import path from "node:path";
import type { Detector, DetectorContext, Origin, ReportInput } from "@modelaudit/core";
import type { ExecutableFormat } from "./executable-headers.js";
import { type ExecutableHit, ExecutableScanner } from "./executable-scanner.js";
import { extensionOf, judgeExtension } from "./extension-mismatch.js";
import { EXTENSION_TABLE } from "./extension-table.js";
import { type BinaryOptions, resolveOptions } from "./options.js";
import type { ShebangMatch } from "./shebang.js";

/** What one scanned source showed, kept until finish(). */
interface SourceRecord {
  origin: Origin;
  /** Member name, or the file's base name at top level. */
  name: string;
  hits: ExecutableHit[];
  shebang: ShebangMatch | null;
}

const FORMAT_LABELS: Record<ExecutableFormat, string> = {
  ELF: "elf",
  PE: "pe",
  "Mach-O": "mach-o",
  "Mach-O universal": "mach-o-universal",
};

const DEEP_CONFIDENCE = 0.6;
const SHEBANG_CONFIDENCE = 0.8;

export const binaryDetector: Detector = {
  id: "binary",
  description: "Scans raw bytes for executable headers and compares what a source is with what its name says.",
  facts: [],
  bytes: true,
  rules: ["embedded-executable", "extension-mismatch"],
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
      scanner = new ExecutableScanner(this.options.maxFindingsPerSource, this.context.level !== "quick");
      this.scanners.set(origin, scanner);
    }
    return scanner;
  }

  onBytes(chunk: Uint8Array, offset: number, origin: Origin): void {
    this.scannerFor(origin).push(chunk, offset);
  }

  /**
   * Handlers add format labels while parsing, which the engine runs after a source's byte pass, so
   * the judgement waits for finish(): the origin's formats array is complete by then.
   */
  onBytesEnd(origin: Origin): void {
    const scanner = this.scannerFor(origin);
    scanner.end();
    this.scanners.delete(origin);
    const name = origin.memberChain.at(-1) ?? path.basename(origin.file);
    const interesting = scanner.hits.length > 0 || scanner.shebang !== null;
    if (!interesting && !EXTENSION_TABLE[extensionOf(name)]) return;
    this.records.push({ origin, name, hits: scanner.hits, shebang: scanner.shebang });
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
    const labels = [...record.origin.formats];
    const start = record.hits.find((hit) => hit.offset === 0);
    if (start) labels.push(FORMAT_LABELS[start.match.format]);
    if (record.shebang) labels.push("shebang-script");
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

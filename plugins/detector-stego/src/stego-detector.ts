import {
  type Detector,
  type DetectorContext,
  type DetectorRun,
  FORMATS,
  type Location,
  type Origin,
  type ReportInput,
  type TensorStream,
} from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { lowWordBytes } from "@modelaudit/tensors";
import { STEGO_DESCRIPTOR, STEGO_RULES } from "./descriptor.js";
import { decodedText, describePlane, HiddenPlaneReader, SIGNATURE_WINDOW } from "./hidden-planes.js";
import { hasLowBitStatistics, LowBitHistogram } from "./low-bit-statistics.js";
import { readOptions, type StegoOptions } from "./options.js";
import { formatP } from "./p-value.js";
import { LsbPeriodicity } from "./periodicity.js";

/**
 * Periodicity window per level: values read and lags tried (thorough reads further and tries longer
 * periods). The cost is lags × values / 32 per tensor, for every tensor of a model; 8K values put a
 * 10-point excess agreement at z ≈ 18 already (32K at z ≈ 36), far past the test's threshold.
 */
const PERIOD_BOUNDS = { standard: { elements: 1 << 13, maxLag: 512 }, thorough: { elements: 1 << 15, maxLag: 4096 } };

/**
 * Bytes of each tensor's data the low-bit tests read at `standard`: the start, where embedding tools
 * (EvilModel, StegoNet, ...) write, room for 8 KiB of payload at 1 bit per float32 value and 64 KiB
 * at 8. `thorough` reads every byte (a payload placed further in is found only there).
 */
export const STANDARD_BYTES = 256 * 1024;

/** Descriptions of the formats the engine's sniffers name most, for messages; others read `a <id> file`. */
const PAYLOAD_NAMES: Readonly<Record<string, string>> = {
  [FORMATS.elf]: "an ELF executable",
  [FORMATS.pe]: "a Windows PE executable",
  [FORMATS.machO]: "a Mach-O executable",
  [FORMATS.shebangScript]: "a script",
  [FORMATS.zip]: "a zip archive",
  [FORMATS.gzip]: "a gzip stream",
  [FORMATS.sevenZip]: "a 7z archive",
  [FORMATS.pickle]: "a pickle",
};

/** Text that reads as a command: what makes hidden text critical rather than a curiosity. */
const COMMAND =
  /\b(?:curl|wget|bash|sh -c|powershell|cmd(?:\.exe)? \/c|nc -e|chmod \+x|rm -rf|python3? -c|eval|exec|import os|subprocess|os\.system|base64 -d|\/bin\/sh|\/dev\/tcp)\b/i;

export const stegoDetector: Detector = {
  ...STEGO_DESCRIPTOR,
  create(context: DetectorContext): DetectorRun {
    return new StegoRun(context, readOptions(context.options));
  },
};

class StegoRun implements DetectorRun {
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();

  constructor(
    private readonly context: DetectorContext,
    private readonly options: StegoOptions,
  ) {}

  onTensor(tensor: TensorStream) {
    const { dtype } = tensor.fact;
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null || tensor.info.class === "complex") return undefined;
    const thorough = this.context.level === "thorough";
    const window = SIGNATURE_WINDOW[thorough ? "thorough" : "standard"];
    // A whole number of 8-byte words, so every dtype's values stay whole.
    const limit = thorough ? tensor.byteLength : Math.min(tensor.byteLength, STANDARD_BYTES);
    const hidden = new HiddenPlaneReader(dtype, this.context, limit, window);
    // Statistics on weights, not on 32/64-bit integer index tensors (ids, positions: ramps and counters).
    const weights = this.options.statistics && !(tensor.info.class === "integer" && wordBytes > 2);
    const histogram =
      weights && hasLowBitStatistics(dtype) ? new LowBitHistogram(dtype, Math.floor(limit / wordBytes)) : null;
    const bounds = PERIOD_BOUNDS[this.context.level === "thorough" ? "thorough" : "standard"];
    const elements = Math.min(bounds.elements, Math.floor(tensor.byteLength / wordBytes));
    const periodicity = weights ? new LsbPeriodicity(wordBytes, elements, bounds.maxLag) : null;
    return {
      data: (chunk: Uint8Array, offset: number) => {
        if (offset >= limit) return;
        const part = offset + chunk.length > limit ? chunk.subarray(0, limit - offset) : chunk;
        hidden.data(part, offset);
        histogram?.data(part);
        periodicity?.data(part);
      },
      end: (complete: boolean) => {
        hidden.end(complete);
        this.judge(tensor, hidden, complete ? histogram : null, periodicity);
        hidden.release();
        histogram?.release();
        periodicity?.release();
      },
    };
  }

  finish(): void {
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  private judge(
    tensor: TensorStream,
    hidden: HiddenPlaneReader,
    histogram: LowBitHistogram | null,
    periodicity: LsbPeriodicity | null,
  ): void {
    const { fact } = tensor;
    const described = {
      tensor: truncateText(fact.name, 160),
      dtype: fact.formatDtype,
      shape: `[${truncateText(fact.shape.join(", "), 80)}]`,
      offset: tensor.dataOffset,
    };
    const path = fact.location?.path ?? fact.name;
    const valueBytes = tensor.info.blockBytes;
    // Where extracted byte `position` of a `bits`-per-value plane starts in the file.
    const at = (position: number, bits: number): Location => ({
      path,
      offset: tensor.dataOffset + ((position * 8) / bits) * valueBytes,
    });

    const file = hidden.file();
    if (file) {
      const payload = PAYLOAD_NAMES[file.signature.format] ?? `a ${file.signature.format} file`;
      const position = file.base64 ? file.base64.start : file.signature.offset;
      this.add(tensor, {
        rule: "hidden-file",
        messageId: file.base64 ? "base64" : "signature",
        data: { ...described, payload, plane: describePlane(file.plane), position, bits: file.plane.bits },
        location: at(position, file.plane.bits),
        evidence: `extracted bytes: ${file.head}`,
      });
    } else {
      const found = hidden.text();
      if (found) {
        const { text, plane } = found;
        const data = { ...described, length: text.length, plane: describePlane(plane), position: text.start };
        if (text.base64) {
          const decoded = decodedText(text.base64.decoded);
          const command = decoded !== null && COMMAND.test(decoded);
          this.add(tensor, {
            rule: "hidden-text",
            messageId: "base64",
            data: {
              ...data,
              decoded:
                decoded === null ? `${text.base64.decoded.length} bytes of binary data seen` : "it decodes to text",
            },
            location: at(text.start, plane.bits),
            evidence: `extracted text: ${JSON.stringify(text.excerpt.slice(0, 80))}${decoded === null ? "" : `; decoded: ${JSON.stringify(decoded.slice(0, 80))}`}`,
            ...(command ? { severity: "critical" as const } : {}),
          });
        } else {
          const command = COMMAND.test(text.excerpt);
          this.add(tensor, {
            rule: "hidden-text",
            messageId: command ? "command" : "text",
            data,
            location: at(text.start, plane.bits),
            evidence: `extracted text: ${JSON.stringify(text.excerpt.slice(0, 80))}`,
            ...(command ? { severity: "critical" as const } : {}),
          });
        }
      }
    }
    if (hidden.limited) {
      this.context.inconclusive(
        `the low bits of tensor ${JSON.stringify(fact.name)} hold more magic numbers than the engine sniffs; some offsets were not identified`,
        tensor.dataOrigin,
      );
    }

    // A payload already named explains any statistical oddity of the same tensor.
    if (file) return;
    const [anomaly] = histogram?.judge() ?? [];
    if (anomaly) {
      this.add(tensor, {
        rule: "low-bit-anomaly",
        messageId: anomaly.test,
        data: {
          ...described,
          bits: anomaly.bits,
          statistic: anomaly.test === "slope" ? round(anomaly.statistic) : anomaly.statistic,
          expected: round(anomaly.expected),
          pValue: formatP(anomaly.pValue),
          elements: anomaly.elements,
          lowEntropy: anomaly.lowEntropy,
          nextEntropy: anomaly.nextEntropy,
        },
        location: { path, offset: tensor.dataOffset },
        // Stronger evidence, more confidence: from 0.5 at the threshold to 0.8 at p far below it.
        confidence: Math.min(0.8, 0.5 + 0.01 * Math.max(0, -Math.log10(Math.max(anomaly.pValue, 1e-300)) - 6)),
      });
    }
    const period = periodicity?.judge();
    if (period) {
      this.add(tensor, {
        rule: "low-bit-periodic",
        messageId: "periodic",
        data: {
          ...described,
          lag: period.lag,
          agreement: percent(period.agreement),
          expected: percent(period.expected),
          equalValues: percent(period.equalValues),
          pValue: formatP(period.pValue),
          elements: period.elements,
        },
        location: { path, offset: tensor.dataOffset },
      });
    }
  }

  private add(tensor: TensorStream, verdict: Omit<ReportInput, "origin">): void {
    const count = (this.reported.get(verdict.rule) ?? 0) + 1;
    this.reported.set(verdict.rule, count);
    if (count > this.options.maxFindingsPerRule) {
      const overflow = this.overflow.get(verdict.rule) ?? { count: 0, origin: tensor.dataOrigin };
      overflow.count++;
      this.overflow.set(verdict.rule, overflow);
      return;
    }
    this.context.report({ ...verdict, origin: tensor.dataOrigin });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export { STEGO_RULES };

import { apiVersionProblem } from "./api-version.js";
import type { Fact, FactKind, Location, TensorFact } from "./facts.js";
import type { Severity } from "./findings.js";
import type { FormatId } from "./formats.js";
import type { Limits } from "./limits.js";
import type { OptionsSchemaSource } from "./options-loader.js";
import type { Reference } from "./references.js";
import type { MemberDigest } from "./report.js";
import type { Source } from "./source.js";
import type { DTypeInfo, TensorClass } from "./tensors.js";

export { API_VERSION } from "./api-version.js";

export type ScanLevel = "quick" | "standard" | "thorough";

// ---------------------------------------------------------------------------------------------
// Rules

export interface RuleMeta {
  description: string;
  /** Default severity of findings from this rule. */
  severity: Severity;
  /** Default confidence (0..1). */
  confidence: number;
  /** Part of the recommended configuration. Written once here; presets derive from it. */
  recommended: boolean;
  /** One line telling the user what to do. */
  remediation: string;
  /** CWE, OWASP ML Top 10, MITRE ATLAS/ATT&CK, CVE entries or pages: core's constants (`CWE_502`) or `cwe`/`cve`/`link`. */
  references: Reference[];
  /** messageId → template with `{{placeholders}}`. */
  messages: Record<string, string>;
  docs?: { url?: string };
}

export interface Rule {
  meta: RuleMeta;
}

export function defineRule<const T extends Rule>(rule: T): T {
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Format handlers: parse, never judge.

export interface SniffInput {
  /** The first bytes of the source (up to 64 KiB). */
  head: Uint8Array;
  /** The last bytes of the source (up to 64 KiB + 22, enough for a zip end record and comment). */
  tail: Uint8Array;
  size: number;
  /** Base name of the file or member. */
  name: string;
  /** Lower-case extension with the dot (`.pt`), or an empty string. Breaks ties only. */
  extension: string;
  /** Formats already recognised on the enclosing source, innermost last (e.g. `["zip"]`). */
  parentFormats: readonly FormatId[];
  /**
   * The bytes were found inside other data (the low bits of weights, a decoded string) by
   * `identify`, not given as a file: claim them only on evidence a chance match in random bytes
   * would not give (a pickle that reaches an import, a zip header whose fields all hold).
   */
  embedded?: boolean;
}

export interface ParseContext {
  readonly source: Source;
  /** Top-level file path. */
  readonly file: string;
  /** Members from the top-level file down to this source. */
  readonly memberChain: readonly string[];
  readonly limits: Limits;
  readonly level: ScanLevel;
  /**
   * Hands one fact to every detector subscribed to its kind. A tensor fact whose `data` names a range
   * (of this source or of a sibling member) has that range read by the engine's tensor channel.
   */
  emit(fact: Fact): void;
  /**
   * Declares a tensor whose bytes the handler decodes itself (compressed or filtered chunks, an
   * external data file): the engine reads `data` from start to end, at the levels that read tensor
   * data, and hands it to tensor subscribers as it would a range. The source must stay readable until
   * this source's scan ends. The fact is emitted too.
   */
  emitTensor(fact: TensorFact, data: Source): void;
  /** Adds a format label to the artifact (e.g. `pytorch-zip`, `joblib`). */
  addFormat(label: FormatId): void;
  /**
   * Scans a nested source (archive member, decompressed stream, embedded pickle) like a file: sniff,
   * handlers, detectors. Nesting depth and member count are bounded by the engine.
   */
  scanChild(name: string, source: Source): Promise<void>;
  /** Records that this source could not be fully analysed, and why. Never reported as clean. */
  inconclusive(reason: string): void;
  /** Throws a TimeLimitError once the per-artifact time bound has passed. Call it in long loops. */
  checkDeadline(): void;
  /** Charges decompressed bytes to the artifact's budget; throws a LimitError past the limit. */
  chargeInflated(bytes: number): void;
  /**
   * Names a file on disk beside the top-level model (its real path) that the model's loader reads
   * as the model's data, and whose bytes this parse handed on as tensors (`emitTensor`): an ONNX
   * model's external data file. When the same scan walks that file too and no handler reads it on
   * its own, its entry says whose data it is instead of calling a model-named file unread.
   * Ignored for sources inside the top-level file. Optional for contexts built outside the engine.
   */
  readsDataFile?(path: string): void;
}

export interface FormatHandler {
  /**
   * Short stable id, also the format label in reports. First-party handlers use the well-known labels
   * (`FORMATS.pickle`); a third-party handler names its own format.
   */
  id: FormatId;
  description: string;
  /**
   * Byte strings one of which starts every instance of the format the sniffer accepts with no help
   * from a name, so `identify` can find copies embedded at any offset of extracted bytes. Omit it
   * when instances can start with anything; the sniffer then runs at offset 0 only.
   */
  magic?: readonly Uint8Array[];
  /**
   * True when the content is this format. Content decides; the extension only breaks ties.
   * `"probe"`: the content may hold this format somewhere the head does not show (an archive behind
   * a self-extracting stub): the handler parses it, but its label is added only if the parse finds
   * the format and calls `addFormat`. Identification (`identify`) takes probes as no.
   */
  sniff(input: SniffInput): boolean | "probe";
  parse(context: ParseContext): Promise<void> | void;
}

// ---------------------------------------------------------------------------------------------
// Detectors: judge, never parse formats.

/** Where a fact or chunk came from. */
export interface Origin {
  file: string;
  memberChain: readonly string[];
  /** Formats recognised on the innermost source. */
  formats: readonly FormatId[];
}

export interface ReportInput {
  /** Rule name inside the detector's plugin namespace (`dangerous-global`). */
  rule: string;
  messageId: string;
  data?: Record<string, string | number>;
  origin: Origin;
  location?: Location;
  /** Already redacted where sensitive. */
  evidence?: string;
  /** Overrides the rule's default confidence. */
  confidence?: number;
  /** Overrides the rule's default severity (a detector may grade within one rule). */
  severity?: Severity;
  /**
   * The value found (a key, an address), never shown: with `seenIn`, lets the engine report a value
   * seen both in a fact and in raw bytes once. Bytes findings whose value equals, contains or is
   * contained in a fact finding's value of the same rule are dropped; the same value in raw bytes of
   * several nested sources is reported once, at the innermost.
   */
  value?: string;
  seenIn?: "fact" | "bytes";
}

export interface DetectorContext {
  report(input: ReportInput): void;
  /**
   * Records that the detector could not judge all of what it was given (a bound was hit): the
   * artifact is then never reported clean. Say what was left unjudged and why.
   */
  inconclusive(reason: string, origin: Origin): void;
  /** Options for this detector from the config (`options.<namespace>`). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly level: ScanLevel;
  /**
   * What some bytes are (extracted from weights, decoded from a string): the registered format
   * handlers whose sniffers claim them at offset 0, and at every later offset where one of a handler's
   * `magic` prefixes occurs. A detector asks this instead of keeping magic tables.
   */
  identify(bytes: Uint8Array, options?: IdentifyOptions): IdentifyResult;
  /**
   * Records on a rule's check what was verified when it passed (a signature's signer, a digest a
   * known-hash list calls benign): shown in the report's checks, never a finding and never a reason to
   * drop one. The message comes from the rule's `messages`, like a finding's. Optional so that
   * contexts made by hand (tests) stay valid; the engine always provides it.
   */
  note?(input: NoteInput): void;
}

/** A line on a rule's check: what the detector verified. */
export interface NoteInput {
  rule: string;
  messageId: string;
  data?: Record<string, string | number>;
}

export interface IdentifyOptions {
  /** Only these handler ids (e.g. `["elf", "pe", "mach-o"]`); all when absent. */
  formats?: readonly FormatId[];
  /** Only offsets where a magic prefix occurs (offset 0 included): for windows that are not a file's start. */
  magicOnly?: boolean;
}

/**
 * What `identify` found, first by offset. `limited` is set when a handler's magics occurred at more
 * offsets than the bound on sniffed candidates (4096 per handler and call, offset 0 aside): its first
 * offsets were sniffed, later offsets of that format were not checked, so the detector must treat
 * the bytes as not fully identified (say so with `inconclusive`).
 */
export type IdentifyResult = Identified[] & { limited?: boolean };

/** A format found in some bytes by `DetectorContext.identify`. */
export interface Identified {
  /** The handler id (`zip`, `pickle`, `elf`). */
  format: FormatId;
  offset: number;
}

/** One tensor offered to a detector that subscribes to tensors. */
export interface TensorStream {
  readonly fact: TensorFact;
  readonly info: DTypeInfo;
  /** The source the tensor was declared on. */
  readonly origin: Origin;
  /** The source its bytes are in and where (offset inside that source), for locations. */
  readonly dataOrigin: Origin;
  readonly dataOffset: number;
  /** Bytes the engine will deliver (whole blocks; a trailing partial block is not delivered). */
  readonly byteLength: number;
  /**
   * One consumer per tensor shared by every detector that asks for the same key (one-pass statistics
   * computed once however many detectors read them). Call it in onTensor; the engine feeds shared
   * consumers first and ends them before any detector's own consumer ends.
   */
  shared<T extends TensorConsumer>(key: string, create: () => T): T;
}

/** Receives one tensor's data in order. */
export interface TensorConsumer {
  /**
   * Whole elements (whole blocks for block-quantized types), little-endian, with `chunk.byteOffset`
   * aligned to the element size. `offset` is the byte offset of the chunk inside the tensor's data.
   * The chunk is only valid during the call.
   */
  data(chunk: Uint8Array, offset: number): void;
  /** The data ended; `complete` is false when it could not be read to its end (the engine records that). */
  end(complete: boolean): void;
}

/** A printable run of raw bytes (ASCII and well-formed UTF-8, at least 16 characters with an ASCII core). */
export interface PrintableString {
  text: string;
  /** Byte offset of its first byte in the source. */
  offset: number;
  /** Every character is ASCII, so character index = byte delta. */
  ascii: boolean;
}

/** One detector's state for one top-level artifact. */
export interface DetectorRun {
  onFact?(fact: Fact, origin: Origin): void;
  /** A tensor matching the detector's subscription; return a consumer to receive its data. */
  onTensor?(tensor: TensorStream): TensorConsumer | undefined;
  /** Printable runs the engine found in a source's raw bytes. Only called when `strings` is set. */
  onString?(run: PrintableString, origin: Origin): void;
  /**
   * Raw bytes of every scanned source, in order, in chunks. Only called when `bytes` is set. The
   * chunk is only valid during the call (the engine reuses its read buffers): copy what you keep.
   */
  onBytes?(chunk: Uint8Array, offset: number, origin: Origin): void;
  /** Called when a source's byte stream ends. */
  onBytesEnd?(origin: Origin): void;
  /** Called once when the artifact is done, with what the engine knows of the whole file. */
  finish?(artifact: ArtifactSummary): void;
  /**
   * Set (when `create` returns) to have `finish(artifact).members` list the SHA-256 of every archive
   * member and decoded stream. It costs reading every member (compressed ones inflated) at the
   * standard level, so ask only when the options need it (a deny list, a known-hash database).
   */
  digestMembers?: boolean;
}

/** The top-level file as the engine saw it, for detectors that judge the artifact as a whole. */
export interface ArtifactSummary {
  file: string;
  size: number;
  /** SHA-256 of every byte; null at the quick level or when the file could not be read to its end. */
  sha256: string | null;
  formats: readonly FormatId[];
  /** SHA-512 of every byte, when the scan was asked for it (`modelaudit hash`). */
  sha512?: string;
  /**
   * Digests of the members and decoded streams read to their end, when a detector set
   * `digestMembers` or the scan asked for them; absent otherwise (and at the quick level).
   */
  members?: readonly MemberDigest[];
}

export interface Detector {
  /** Stable id, shown as `detector` in findings. */
  id: string;
  description: string;
  /** Fact kinds this detector consumes. */
  facts: readonly FactKind[];
  /** Set to receive raw byte chunks of every scanned source. */
  bytes?: boolean;
  /** Set to receive the printable runs of every scanned source's raw bytes (one extractor for all detectors). */
  strings?: boolean;
  /**
   * Tensors whose data this detector reads, at every level but quick that the detector's `levels`
   * allow (the engine reads tensor data only when some running detector subscribes). Matching
   * tensors are offered to `onTensor`.
   */
  tensors?: TensorSubscription;
  /**
   * Set when the detector judges the artifact summary in `finish` (hash lists): its rules count as
   * checked whenever the file's SHA-256 is known, even with no facts.
   */
  artifact?: boolean;
  /** Scan levels the detector works at (default: all). At other levels its checks are skipped, not passed. */
  levels?: readonly ScanLevel[];
  /** Rules this detector may report, by name inside its plugin's namespace. */
  rules: readonly string[];
  create(context: DetectorContext): DetectorRun;
  /**
   * Imports the detector's code on first need (start-up: a scan that never needs it never loads it).
   * The engine awaits it before it first calls `create`. A detector with `load` whose inputs are
   * facts and tensors is created on its first fact of an artifact (facts wait while its code loads; a
   * tensor's data always follows its `tensor` fact), so `finish` runs only on artifacts that gave it a
   * fact and `digestMembers` is not read from it: set `artifact` (or `bytes`, `strings`) for a
   * detector that must run on every artifact. Build it with `lazyDetector`.
   */
  load?(): Promise<void>;
}

/** Which tensors a detector reads. Every field narrows; an empty object subscribes to every tensor. */
export interface TensorSubscription {
  classes?: readonly TensorClass[];
  /** Tensors with fewer elements are not offered. */
  minElements?: number;
  name?: RegExp;
}

// ---------------------------------------------------------------------------------------------
// Plugins

export interface PluginMeta {
  /** npm package name. */
  name: string;
  version: string;
  /** Rule-id prefix (`code-execution`). Required when the plugin has rules. */
  namespace?: string;
}

export interface Plugin {
  meta: PluginMeta;
  apiVersion: number;
  formats?: readonly FormatHandler[];
  detectors?: readonly Detector[];
  rules?: Readonly<Record<string, Rule>>;
  /**
   * The schema of this plugin's options (`options.<namespace>` in the config), built with the `z` of
   * `@modelaudit/core/options`, or (better) a loader that imports it:
   * `() => import("./options-schema.js").then((module) => module.optionsSchema)`, so zod loads only
   * when a config sets this plugin's options. The engine checks the options against it when it is set
   * up, so a typo or a bad value stops the scan before it starts instead of silently disarming a
   * check, and the config's JSON Schema describes the plugin's keys from it. Use `z.strictObject` so
   * unknown keys are errors.
   */
  optionsSchema?: OptionsSchemaSource;
  /**
   * For checks a schema cannot hold, or a plugin without one: returns one problem per bad value, each
   * starting with its key path inside the options (`allow[2]: ...`, `allowx: unknown option`); empty
   * when valid. Runs after `optionsSchema`, only when the options passed it. Without either, any
   * options are accepted.
   */
  validateOptions?(options: Readonly<Record<string, unknown>>): string[];
  /**
   * npm names of plugins whose output this one needs (format labels or facts they emit), e.g. a
   * TorchScript handler that reads the members the archive handler opens. Loading this plugin without
   * them is an error naming the missing package, rather than a scan that silently sees less.
   */
  requires?: readonly string[];
}

/** A bundle of plugins (e.g. every first-party plugin). */
export interface Preset {
  meta: PluginMeta;
  plugins: readonly Plugin[];
}

const PLUGIN_MARKER = Symbol.for("modelaudit.plugin");

export function definePlugin<const T extends Plugin>(plugin: T): T {
  Object.defineProperty(plugin, PLUGIN_MARKER, { value: true, enumerable: false });
  return plugin;
}

export function definePreset<const T extends Preset>(preset: T): T {
  return preset;
}

export function isPlugin(value: unknown): value is Plugin {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Plugin>;
  // Any declared apiVersion makes it a plugin, so a wrong one is refused by name rather than unrecognised.
  return typeof candidate.meta?.name === "string" && candidate.apiVersion !== undefined;
}

export function isPreset(value: unknown): value is Preset {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Preset>;
  return typeof candidate.meta?.name === "string" && Array.isArray(candidate.plugins);
}

/** Checks a plugin against this core's contract; returns the problems found (empty when valid). */
export function validatePlugin(plugin: Plugin): string[] {
  const problems: string[] = [];
  const label = plugin.meta?.name ?? "<unnamed plugin>";
  const apiProblem = apiVersionProblem(plugin);
  if (apiProblem) problems.push(apiProblem);
  if (
    plugin.requires !== undefined &&
    !(Array.isArray(plugin.requires) && plugin.requires.every((name) => typeof name === "string"))
  ) {
    problems.push(`${label}: requires must be an array of plugin package names`);
  }
  // A loader is checked when it runs (validateConfig, configJsonSchema): running it here would load zod.
  if (
    plugin.optionsSchema !== undefined &&
    typeof plugin.optionsSchema !== "function" &&
    typeof (plugin.optionsSchema as { safeParse?: unknown } | null)?.safeParse !== "function"
  ) {
    problems.push(
      `${label}: optionsSchema must be a zod schema (the z of @modelaudit/core/options) or a function that imports one`,
    );
  }
  if (plugin.validateOptions !== undefined && typeof plugin.validateOptions !== "function") {
    problems.push(`${label}: validateOptions must be a function`);
  }
  for (const detector of plugin.detectors ?? []) {
    if (detector.load !== undefined && typeof detector.load !== "function") {
      problems.push(`${label}: detector ${detector.id} load must be a function`);
    }
  }
  const rules = plugin.rules ?? {};
  if (Object.keys(rules).length > 0 && !plugin.meta.namespace) {
    problems.push(`${label} has rules but no meta.namespace`);
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (name.includes("/")) problems.push(`${label}: rule name ${name} must not contain '/'`);
    if (!rule.meta?.description) problems.push(`${label}: rule ${name} has no description`);
    if (!rule.meta?.remediation) problems.push(`${label}: rule ${name} has no remediation`);
    if (!rule.meta?.messages || Object.keys(rule.meta.messages).length === 0) {
      problems.push(`${label}: rule ${name} has no messages`);
    }
    // Reports link references by their fields: a bare string (the old form) would render as nothing.
    if (!Array.isArray(rule.meta?.references) || !rule.meta.references.every(isReference)) {
      problems.push(`${label}: rule ${name} references must be structured values (cwe, cve, link or core's constants)`);
    }
  }
  for (const detector of plugin.detectors ?? []) {
    for (const ruleName of detector.rules) {
      if (!(ruleName in rules)) problems.push(`${label}: detector ${detector.id} names unknown rule ${ruleName}`);
    }
  }
  return problems;
}

function isReference(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { kind, url } = value as { kind?: unknown; url?: unknown };
  return typeof kind === "string" && typeof url === "string";
}

/** Fills `{{name}}` placeholders; throws on a placeholder without data so mistakes surface in tests. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, key: string) => {
    if (!(key in data)) throw new Error(`message placeholder {{${key}}} has no data`);
    return String(data[key]);
  });
}

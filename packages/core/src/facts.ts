import type { ByteOrder, TensorDType } from "./tensors.js";

/**
 * Facts: what format handlers emit and detectors consume. A small closed set of kinds; handlers
 * know nothing of policy, detectors know nothing of file formats.
 */

/** Where inside a source a fact or finding sits. Every field is optional; fill what is known. */
export interface Location {
  /** Byte offset inside the source (the innermost member when nested). */
  offset?: number;
  /** A JSON path, config key, tensor or node name. */
  path?: string;
  line?: number;
  column?: number;
  /** Pickle opcode name or format-specific record type at that offset. */
  opcode?: string;
  /** Index of the stream inside the source when a file holds several (e.g. concatenated pickles). */
  stream?: number;
}

/** A global that a serialized program imports: a pickle GLOBAL/STACK_GLOBAL/INST, a Keras module ref. */
export interface ImportFact {
  kind: "import";
  /** Null when the module could not be resolved statically. */
  module: string | null;
  /** Qualified name inside the module; may be dotted (`os.system` under `pathlib`). Null when unresolved. */
  name: string | null;
  /** How the import was expressed, e.g. `GLOBAL`, `STACK_GLOBAL`, `INST`, `EXT2`, `keras-config`. */
  via: string;
  /** Why the reference is unresolved, when it is. */
  unresolvedReason?: string;
  location?: Location;
}

/** A call the deserializer performs: pickle REDUCE/OBJ/INST/NEWOBJ/NEWOBJ_EX/BUILD. */
export interface CallFact {
  kind: "call";
  /** The callee as an import; module/name null when it cannot be resolved. */
  callee: { module: string | null; name: string | null; unresolvedReason?: string };
  via: string;
  /** A short, bounded rendering of the arguments (strings and numbers only). */
  args?: string[];
  /**
   * The call deserializes its argument, constant bytes that the handler hands to the engine as this
   * child source, read there the way the callee's loader reads them (torch's `_load_from_bytes(b)`,
   * which is `torch.load(io.BytesIO(b))`): what the nested data runs is judged on the child.
   */
  loadsChild?: string;
  location?: Location;
}

export type CodeLanguage = "python" | "python-bytecode" | "torchscript" | "jinja" | "javascript" | "shell" | "unknown";

/** Source code or bytecode the model carries and some loader may run. */
export interface CodeFact {
  kind: "code";
  language: CodeLanguage;
  text: string;
  /** Names and constants when the code is bytecode or otherwise not plain text. */
  names?: string[];
  location?: Location;
}

/** A string value: metadata, config values, pickled strings. */
export interface TextFact {
  kind: "text";
  text: string;
  /** The key or field the value belongs to, when there is one (e.g. `__metadata__.source`). */
  key?: string;
  /** What kind of string this is, so detectors can weigh it (a tokenizer vocabulary is not a config). */
  role?: "metadata" | "config" | "string-constant" | "vocabulary" | "documentation" | "name" | "other";
  location?: Location;
}

/**
 * Where a tensor's bytes are: a range of the source the fact was emitted on, or of a sibling member
 * of the same container (a PyTorch checkpoint's `archive/data/0`, named as the container stores it).
 */
export interface TensorDataRange {
  offset: number;
  length: number;
  /** A member of the container that holds the emitting source, when the data lies there. */
  member?: string;
}

/**
 * A tensor: its declared layout and where its bytes are. The engine reads the data (at the levels
 * that read tensor data) and hands it to the detectors that subscribe, whatever the format.
 */
export interface TensorFact {
  kind: "tensor";
  name: string;
  /** The element type in core's closed vocabulary. */
  dtype: TensorDType;
  /** The type as the format spells it (`<f4`, `FloatStorage`, `FLOAT`, `Q4_K`), for messages. */
  formatDtype: string;
  shape: number[];
  /** Byte order of multi-byte elements in the file; the engine delivers data little-endian. */
  byteOrder: ByteOrder;
  /** Where the data is; absent when the format does not keep it in place (see ParseContext.emitTensor). */
  data?: TensorDataRange;
  /** Other names that read the same bytes (views, tied weights sharing one storage). */
  aliases?: string[];
  location?: Location;
}

/** The graph dialect an operator belongs to: operator names and domains only mean something within one. */
export type GraphFramework = "onnx" | "tensorflow" | "tflite" | "torchscript" | "keras" | "other";

/** An operator in a computation graph. */
export interface GraphNodeFact {
  kind: "graph-node";
  framework: GraphFramework;
  op: string;
  /** ONNX domain, TorchScript op namespace, `custom` for TFLite custom operators; empty for the default. */
  domain?: string;
  name?: string;
  attributes?: Record<string, string | number | boolean>;
  location?: Location;
}

/** A member of a container (zip, tar, 7z...), reported before the member itself is scanned. */
export interface EntryFact {
  kind: "entry";
  /** The raw name as stored, before any normalisation. */
  name: string;
  /** The name the local header carries, when it differs from the central directory. */
  localName?: string;
  type: "file" | "directory" | "symlink" | "hardlink" | "other";
  size: number;
  compressedSize?: number;
  method?: string;
  encrypted?: boolean;
  linkTarget?: string;
  location?: Location;
  /**
   * The container format whose reading listed this entry (`zip`, `tar`, `7z`). A source read as two
   * containers (a tar whose last member is a zip is a zip with prepended data too) has one member
   * list per reading, each judged on its own.
   */
  container?: string;
}

/** A path or URL the model points to (external data, remote code, auto_map). */
export interface ReferenceFact {
  kind: "reference";
  target: string;
  referenceKind: "path" | "url" | "repository" | "module";
  key?: string;
  location?: Location;
  /**
   * A symbolic link on the way to a relative path, as the handler found it beside the model on disk
   * (links followed with realpath; nothing behind them read). Absent when no link was met or the
   * path was not looked up (inside an archive, or a path that leaves the folder by name already).
   */
  link?: ReferenceLink;
  /**
   * For a path the loader opens while loading the model (not on demand), when the model is a file
   * on disk: the path it opens, joined to the model file's directory as the loader joins it, and
   * whether a regular file is there. `exists` is absent when the handler did not look (a path that
   * leaves the model's directory is never touched).
   */
  resolved?: { path: string; exists?: boolean };
}

/** The first symbolic link met on a path reference's way from the model's folder. */
export interface ReferenceLink {
  /** The link, relative to the model's folder: the referenced name itself or one of its folders. */
  path: string;
  /** What the link points to, as stored in it. */
  target: string;
  /** True when the reference, links followed, leads outside the model's folder. */
  outside: boolean;
  /**
   * True when it leads to a blob of the same Hugging Face cache repository
   * (`<repo>/snapshots/<revision>/name` → `<repo>/blobs/<hash>`): the cache's own layout.
   */
  hfCacheBlob?: boolean;
}

/**
 * A structural problem the parser saw. `code` is from a small closed set so detectors can judge
 * it without knowing the format.
 */
export interface AnomalyFact {
  kind: "anomaly";
  code: AnomalyCode;
  message: string;
  location?: Location;
}

export type AnomalyCode =
  /** Two parsers of the same bytes would disagree (e.g. a pickle FRAME boundary crossed by an argument). */
  | "parser-differential"
  /** The stream ended before the format said it would. */
  | "truncated"
  /** Bytes that break the format's rules. */
  | "malformed"
  /** Bytes after the logical end of the format. */
  | "trailing-data"
  /** A length, count or nesting beyond what the parser allows. */
  | "limit-exceeded"
  /** Two copies of the same metadata disagree (zip local vs central header). */
  | "header-mismatch"
  /** A feature that is legal but unusual and worth a look (duplicate PROTO, odd opcode use). */
  | "unusual-structure";

export type Fact =
  | ImportFact
  | CallFact
  | CodeFact
  | TextFact
  | TensorFact
  | GraphNodeFact
  | EntryFact
  | ReferenceFact
  | AnomalyFact;

export type FactKind = Fact["kind"];

export const FACT_KINDS: readonly FactKind[] = [
  "import",
  "call",
  "code",
  "text",
  "tensor",
  "graph-node",
  "entry",
  "reference",
  "anomaly",
];

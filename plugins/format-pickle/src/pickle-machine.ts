import {
  type AnomalyCode,
  type CallFact,
  dataByteLength,
  dtypeFromNumpy,
  type Fact,
  type ImportFact,
  type ReferenceFact,
  type TensorFact,
  type TextFact,
} from "@modelaudit/core";
import { dillEvalRepr, dillHelper, dillImportModule, dillLoadType } from "./dill-helpers.js";
import {
  isArrayWrapper,
  isSideFileWrapper,
  type JoblibArrayLayout,
  joblibArrayLayout,
  sideFileName,
} from "./joblib-array.js";
import { HIGHEST_PROTOCOL, isOpcode, opcodeName } from "./opcodes.js";
import { mapPython2Name } from "./python2-names.js";
import {
  decodeLatin1,
  decodeQuotedString,
  decodeRawUnicodeEscape,
  decodeUtf8,
  isDottedIdentifier,
  parseFloatLine,
  parseIntegerLine,
} from "./text-decoding.js";
import { walkNamedValues } from "./value-paths.js";
import {
  type BytesValue,
  type Callee,
  calleeOf,
  describeType,
  dictGet,
  FALSE,
  type GlobalValue,
  intValue,
  MAX_CONTAINER_ITEMS,
  MAX_TEXT,
  NONE,
  type ObjectValue,
  renderArgs,
  renderValue,
  type SequenceValue,
  type StrValue,
  TRUE,
  type Value,
} from "./values.js";

/** What the machine reports while it runs. */
export interface MachineHooks {
  emit(fact: Fact): void;
  /**
   * A bytes value that may hold a nested pickle (the handler decides): the name of the child source
   * it is scanned as, when it is one.
   */
  embeddedBytes(offset: number, bytes: Uint8Array): string | undefined;
  /** The raw argument of a str value of 16+ bytes that may be base64 or hex (the handler decides). */
  embeddedText(offset: number, bytes: Uint8Array): void;
  /** A module seen in an import (for format labels such as joblib, dill). */
  importedModule(module: string): void;
  /**
   * A file joblib.load opens beside the pickle (an NDArrayWrapper's `filename`, read at its BUILD):
   * the handler adds where it resolves and whether it is there, then emits the fact.
   */
  sideFile(fact: ReferenceFact): void;
  checkDeadline(): void;
}

/**
 * - `full`: emits every fact and anomaly, survives recoverable problems.
 * - `shadow`: a second reading from another offset (FRAME differential): emits only import/call facts
 *   and stops silently at the first problem.
 * - `trial`: emits nothing and fails at the first problem (sniffing, nested-pickle checks).
 */
export type MachineMode = "full" | "shadow" | "trial";

export interface MachineOptions {
  stream: number;
  mode: MachineMode;
  /** Stop (successfully) after this many opcodes; for trial parses of a file head. */
  maxOpcodes?: number;
  /** Skip joblib NumpyArrayWrapper inline array data. Off inside a joblib object-array pickle. */
  joblibArrays?: boolean;
  /** Trial mode: GLOBAL/INST names must be dotted identifiers. */
  strictNames?: boolean;
  /**
   * copyreg's extension registry as the file's own streams fill it (`copyreg.add_extension`, items
   * set in `copyreg._inverted_registry` or `_extension_cache`): code → module and name. CPython's
   * registry lives as long as the process, so one map serves every stream of a file.
   */
  extensions?: Map<number, [string, string]>;
  /**
   * Whether any byte of [start, end) was never read (skipped joblib array data, zero-filled in the
   * data): a shadow reading that would interpret such bytes stops there and says so in
   * `unreadTouched`, so the caller reads them and runs the stream again.
   */
  unread?: (start: number, end: number) => boolean;
}

/** A range of the data, [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StreamResult {
  start: number;
  /** Offset just after STOP, or where parsing stopped. */
  end: number;
  /** STOP was reached. */
  complete: boolean;
  /** maxOpcodes was reached without a problem (trial parses). */
  budgetReached: boolean;
  /** Why parsing stopped before STOP. */
  failure?: {
    code: AnomalyCode;
    message: string;
    offset: number;
    declaredEnd?: number;
    /** A joblib array whose data runs past the data: where joblib reads it (nothing there is parsed). */
    arrayData?: ByteRange;
  };
  /** The value STOP returned. */
  value?: Value;
  /** End of the FRAME the STOP sat in, when that frame runs on past the STOP. */
  frameEnd?: number;
  persistentIds: Value[];
  opcodes: number;
  protocol?: number;
  /** Non-fatal problems seen (0 for a clean stream). */
  problems: number;
  /** GLOBAL/STACK_GLOBAL/INST imports with resolved names. */
  imports: number;
  /**
   * Something in the run depended on where the data ends (an argument cut off, a FRAME longer than
   * the bytes left, a second reading cut short): over longer data the same bytes could read otherwise.
   */
  reachedEnd: boolean;
  /** A second reading needed bytes `options.unread` says were never read: read them and run again. */
  unreadTouched?: ByteRange;
}

export const MAX_MEMO_ENTRIES = 1_000_000;
export const MAX_STACK_DEPTH = 100_000;
const MAX_PROBLEMS = 64;
const MAX_SHADOWS = 8;
/** An attribute name getattr may be resolved through: an identifier that is not a dunder. */
const PLAIN_ATTRIBUTE = /^(?!__)[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_EXTENSIONS = 4096;
/** Methods the unpickler looks up on the object it builds or fills: an instance attribute of the name wins. */
const HOOK_NAMES = new Set(["__setstate__", "extend", "append", "add"]);
/**
 * torch's legacy `torch.save` of a whole module writes each nn.Module class as the persistent id
 * `('module', cls, source_file, source)`, and `_legacy_load`'s `persistent_load` returns `cls`
 * (`data[0]`), which the stream then instantiates (NEWOBJ). That value is the class itself, so the
 * call is judged as a call of it. The zip loader and plain `pickle.load` fail on such an id, before
 * any call.
 */
function legacyTorchModuleClass(pid: Value): Value | undefined {
  if (pid.type !== "tuple" || pid.items.length < 2) return undefined;
  const [typename, cls] = pid.items;
  return typename?.type === "str" && typename.text === "module" ? cls : undefined;
}

/**
 * Allowed functions that call one of their arguments (loader code, not the stream): where the callable
 * and its arguments are, so that call is judged too. torch's `_rebuild_from_type_v2(func, new_type,
 * args, state)` runs `func(*args)`; numpy's `__generator_ctor` / `__randomstate_ctor(name, ctor)` run
 * `ctor(name)`.
 */
const CALLING_ARGUMENT = new Map<string, { callable: number; args: number | "rest" }>([
  ["torch._tensor._rebuild_from_type_v2", { callable: 0, args: 2 }],
  ["torch._utils._rebuild_from_type_v2", { callable: 0, args: 2 }],
  ["numpy.random._pickle.__generator_ctor", { callable: 1, args: "rest" }],
  ["numpy.random._pickle.__randomstate_ctor", { callable: 1, args: "rest" }],
]);
/**
 * Loaders of one bytes argument whose reading of it is how this handler reads a child source: torch's
 * `storage._load_from_bytes(b)` is `torch.load(io.BytesIO(b))`, what `pickle.dumps` of a tensor or
 * storage writes (the bytes are a legacy `torch.save`). Called with constant bytes scanned as a child,
 * the call says so (`loadsChild`) and its import waits, as getattr's does, to be reported only when
 * it has another use.
 */
const LOADS_BYTES = new Set(["torch.storage._load_from_bytes"]);

function loadsBytes(module: string | null, name: string | null): boolean {
  return LOADS_BYTES.has(`${module}.${name}`);
}

/** Protocol 0-2 bytes, `_codecs.encode(str, "latin1")`: the str, whose latin-1 encoding the bytes are. */
function latin1Bytes(value: Value | undefined): StrValue | undefined {
  if (value?.type !== "object" || value.callee.module !== "_codecs" || value.callee.name !== "encode") return undefined;
  const args = value.args;
  if (args?.type !== "tuple" || args.count !== 2 || args.items.length !== 2) return undefined;
  const [text, encoding] = args.items;
  return text?.type === "str" && encoding?.type === "str" && encoding.text === "latin1" ? text : undefined;
}

/** copyreg's tables that EXT1/EXT2/EXT4 look codes up in. */
const EXTENSION_TABLES = new Set(["_inverted_registry", "_extension_cache"]);
/** Opcodes of the plain-pickle reading after each joblib array wrapper (array bytes fail within a few). */
const PLAIN_READING_OPCODES = 4096;
const MAX_PERSISTENT_IDS = 100_000;
/** joblib arrays whose facts wait for the stream's end to be named; past this many they go out unnamed. */
const MAX_PENDING_ARRAYS = 100_000;
const TEXT_FACT_MIN = 4;
const EMBEDDED_TEXT_MIN = 16;
/** A length field this large is reported as a limit, not just a cut-off stream. */
const ABSURD_LENGTH = 2 ** 31;
const DEADLINE_MASK = 0xffff;
/** Memo keys below this live in an array; a hostile LONG_BINPUT of 2^32-1 goes to a map instead. */
const DENSE_MEMO_KEYS = 1 << 21;

/** Thrown to end a stream; carries the fatal problem. */
class StopParse {
  constructor(
    readonly code: AnomalyCode,
    readonly message: string,
    readonly offset: number,
    /** For a length field that runs past the data: the absolute end it declares. */
    readonly declaredEnd?: number,
    readonly arrayData?: ByteRange,
  ) {}
}

/** Opcodes whose payload is raw bytes no reading interprets: only their length fields are read. */
const BYTES_PAYLOAD_HEADERS = new Map<number, number>([
  [0x43, 2], // SHORT_BINBYTES
  [0x42, 5], // BINBYTES
  [0x8e, 9], // BINBYTES8
  [0x96, 9], // BYTEARRAY8
]);

const UNDERFLOW: Value = { type: "unknown", reason: "stack underflow" };

/**
 * A static pickle machine: runs the opcodes of one pickle stream over symbolic values without
 * importing or calling anything, and reports imports, calls, strings and structural anomalies.
 */
export class PickleMachine {
  private readonly data: Uint8Array;
  private readonly hooks: MachineHooks;
  private readonly options: MachineOptions;
  private readonly full: boolean;
  private readonly emitsCode: boolean;
  private stack: Value[] = [];
  private marks: number[] = [];
  /** Memo slots: dense keys in an array (real pickles number them 0, 1, 2...), the rest in a map. */
  private memoSlots: (Value | undefined)[] = [];
  private memoFar = new Map<number, Value>();
  private memoCount = 0;
  private readonly view: DataView;
  private pos = 0;
  private frameEnd = -1;
  private deferredImports: GlobalValue[] = [];
  /** Strings whose text fact waits for the PERSID that may make them a legacy class's source. */
  private heldTexts: StrValue[] = [];
  /** Where opcodes resume once the current frame is used up, when joblib arrays were read past it. */
  private frameJump: { at: number; to: number } | undefined;
  private protocol: number | undefined;
  private protoSeen = false;
  private problems = 0;
  private reachedEnd = false;
  private unreadTouched: ByteRange | undefined;
  private shadows = 0;
  private nextBufferSeen = false;
  private importCount = 0;
  private readonly persistentIds: Value[] = [];
  /** joblib array tensors, emitted at the end of the stream once the value names them. */
  private readonly pendingArrays: { wrapper: ObjectValue; fact: TensorFact }[] = [];
  private readonly stream: number;
  private streamStart = 0;

  constructor(data: Uint8Array, hooks: MachineHooks, options: MachineOptions) {
    this.data = data;
    this.hooks = hooks;
    this.options = options;
    this.full = options.mode === "full";
    this.emitsCode = options.mode !== "trial";
    this.stream = options.stream;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Starts from another machine's stack, marks, memo and protocol (copies of the lists). */
  private inherit(from: PickleMachine): void {
    this.stack = from.stack.slice();
    this.marks = from.marks.slice();
    this.memoSlots = from.memoSlots.slice();
    this.memoFar = new Map(from.memoFar);
    this.memoCount = from.memoCount;
    this.protocol = from.protocol;
    this.protoSeen = from.protoSeen;
  }

  run(start: number): StreamResult {
    this.pos = start;
    this.streamStart = start;
    let opcodes = 0;
    const data = this.data;
    const end = data.length;
    const maxOpcodes = this.options.maxOpcodes ?? Number.POSITIVE_INFINITY;
    // Only second readings wander into skipped array data; the main reading jumps over it.
    const unread = this.options.mode === "shadow" ? this.options.unread : undefined;
    const result: StreamResult = {
      start,
      end: start,
      complete: false,
      budgetReached: false,
      persistentIds: this.persistentIds,
      opcodes: 0,
      problems: 0,
      imports: 0,
      reachedEnd: false,
    };
    try {
      for (;;) {
        if (this.pos >= end) {
          this.reachedEnd = true;
          throw new StopParse("truncated", `the pickle ended at offset ${end} before its STOP opcode`, end);
        }
        if (opcodes >= maxOpcodes) {
          result.budgetReached = true;
          break;
        }
        if ((++opcodes & DEADLINE_MASK) === 0) this.hooks.checkDeadline();
        if (this.frameJump && this.pos >= this.frameJump.at) {
          // The frame is used up: the unpickler reads on in the file, past the joblib arrays read from it.
          this.pos = this.frameJump.to;
          this.frameJump = undefined;
          continue;
        }
        const opStart = this.pos;
        if (this.frameEnd >= 0 && opStart >= this.frameEnd) this.frameEnd = -1;
        if (unread?.(opStart, opStart + 1)) this.touchedUnread(opStart, opStart + 1);
        const op = data[this.pos++] as number;
        if (op === 0x2e) {
          // STOP
          result.value = this.stack.length > 0 ? this.stack.pop() : undefined;
          if (result.value === undefined) this.problem("malformed", "STOP with an empty stack", opStart);
          result.complete = true;
          // STOP inside a FRAME: a reader that consumed the whole frame starts the next stream at its end.
          if (this.frameEnd > this.pos) result.frameEnd = this.frameEnd;
          break;
        }
        this.step(op, opStart);
        if (unread) {
          const interpreted = opStart + (BYTES_PAYLOAD_HEADERS.get(op) ?? this.pos - opStart);
          if (unread(opStart, interpreted)) this.touchedUnread(opStart, interpreted);
        }
        if (this.frameEnd >= 0 && this.pos > this.frameEnd) this.frameCrossed(op, opStart);
        if (this.stack.length > MAX_STACK_DEPTH) {
          throw new StopParse("limit-exceeded", `stack deeper than ${MAX_STACK_DEPTH} values`, opStart);
        }
      }
    } catch (error) {
      if (!(error instanceof StopParse)) throw error;
      // A problem at an opcode whose bytes were never read (its fields, up to 8 bytes, included).
      if (unread?.(error.offset, error.offset + 9) && !this.unreadTouched) {
        this.unreadTouched = { start: error.offset, end: error.offset + 9 };
      }
      result.failure = { code: error.code, message: error.message, offset: error.offset };
      if (error.declaredEnd !== undefined) result.failure.declaredEnd = error.declaredEnd;
      if (error.arrayData !== undefined) result.failure.arrayData = error.arrayData;
      if (this.full) this.anomaly(error.code, error.message, error.offset);
    }
    this.settleDeferredImports();
    this.settleHeldTexts();
    this.emitJoblibArrays(result.value);
    result.end = this.pos;
    result.opcodes = opcodes;
    if (this.protocol !== undefined) result.protocol = this.protocol;
    result.problems = this.problems;
    result.imports = this.importCount;
    result.reachedEnd = this.reachedEnd;
    if (this.unreadTouched) result.unreadTouched = this.unreadTouched;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // One opcode

  private step(op: number, opStart: number): void {
    const data = this.data;
    const stack = this.stack;
    switch (op) {
      case 0x28: // MARK
        this.marks.push(stack.length);
        return;
      case 0x30: // POP
        if (this.marks.length > 0 && this.marks[this.marks.length - 1] === stack.length) {
          // Python's pure unpickler lets POP drop a MARK; pickletools does too.
          this.marks.pop();
          return;
        }
        this.pop(opStart);
        return;
      case 0x31: // POP_MARK
        this.popMark(opStart);
        return;
      case 0x32: // DUP
        stack.push(this.peek(opStart));
        return;
      case 0x4e: // NONE
        stack.push(NONE);
        return;
      case 0x88: // NEWTRUE
        stack.push(TRUE);
        return;
      case 0x89: // NEWFALSE
        stack.push(FALSE);
        return;
      case 0x4b: // BININT1
        this.need(1, opStart);
        stack.push(intValue(data[this.pos++] as number));
        return;
      case 0x4d: // BININT2
        this.need(2, opStart);
        stack.push(intValue((data[this.pos] as number) | ((data[this.pos + 1] as number) << 8)));
        this.pos += 2;
        return;
      case 0x4a: // BININT
        this.need(4, opStart);
        stack.push(intValue(this.int32(this.pos)));
        this.pos += 4;
        return;
      case 0x8a: {
        // LONG1
        this.need(1, opStart);
        const length = data[this.pos++] as number;
        stack.push(this.long(length, opStart));
        return;
      }
      case 0x8b: {
        // LONG4
        this.need(4, opStart);
        const length = this.int32(this.pos);
        this.pos += 4;
        if (length < 0) throw new StopParse("malformed", `LONG4 with negative length ${length}`, opStart);
        stack.push(this.long(length, opStart));
        return;
      }
      case 0x49: {
        // INT
        const line = this.lineText(opStart);
        if (line === "00") stack.push(FALSE);
        else if (line === "01") stack.push(TRUE);
        else stack.push(this.integerFromLine(line, "INT", opStart));
        return;
      }
      case 0x4c: // LONG
        stack.push(this.integerFromLine(this.lineText(opStart), "LONG", opStart));
        return;
      case 0x46: {
        // FLOAT
        const value = parseFloatLine(this.lineText(opStart));
        if (value === null) throw new StopParse("malformed", "FLOAT argument is not a number", opStart);
        stack.push({ type: "float", value });
        return;
      }
      case 0x47: {
        // BINFLOAT
        this.need(8, opStart);
        stack.push({ type: "float", value: this.view.getFloat64(this.pos, false) });
        this.pos += 8;
        return;
      }
      case 0x53: {
        // STRING
        const line = this.line(opStart);
        const text = decodeQuotedString(line, MAX_TEXT);
        if (text === null) throw new StopParse("malformed", "the STRING argument must be quoted", opStart);
        // Python 2 str: text, or binary data once unescaped.
        stack.push(this.strValue(text, line.length - 2, opStart));
        if (this.full && text.length >= 2 && isOpcode(text.charCodeAt(0))) {
          this.hooks.embeddedBytes(
            opStart,
            Uint8Array.from(text, (character) => character.charCodeAt(0)),
          );
        }
        if (this.full && line.length - 2 >= EMBEDDED_TEXT_MIN) this.hooks.embeddedText(opStart, line.subarray(1, -1));
        return;
      }
      case 0x54: {
        // BINSTRING
        this.need(4, opStart);
        const length = this.int32(this.pos);
        this.pos += 4;
        if (length < 0) throw new StopParse("malformed", `BINSTRING with negative length ${length}`, opStart);
        stack.push(this.latin1String(length, opStart));
        return;
      }
      case 0x55: // SHORT_BINSTRING
        this.need(1, opStart);
        stack.push(this.latin1String(data[this.pos++] as number, opStart));
        return;
      case 0x56: {
        // UNICODE
        const line = this.line(opStart);
        stack.push(this.strValue(decodeRawUnicodeEscape(line, MAX_TEXT), line.length, opStart));
        if (line.length >= EMBEDDED_TEXT_MIN && this.full) this.hooks.embeddedText(opStart, line);
        return;
      }
      case 0x58: // BINUNICODE
        this.need(4, opStart);
        stack.push(this.utf8String(this.uint32(this.pos), opStart));
        return;
      case 0x8c: // SHORT_BINUNICODE
        this.need(1, opStart);
        stack.push(this.utf8String(data[this.pos] as number, opStart, 1));
        return;
      case 0x8d: // BINUNICODE8
        this.need(8, opStart);
        stack.push(this.utf8String(this.uint64(this.pos), opStart, 8));
        return;
      case 0x42: // BINBYTES
        this.need(4, opStart);
        stack.push(this.bytesValue(this.uint32(this.pos), 4, opStart));
        return;
      case 0x43: // SHORT_BINBYTES
        this.need(1, opStart);
        stack.push(this.bytesValue(data[this.pos] as number, 1, opStart));
        return;
      case 0x8e: // BINBYTES8
        this.need(8, opStart);
        stack.push(this.bytesValue(this.uint64(this.pos), 8, opStart));
        return;
      case 0x96: // BYTEARRAY8
        this.need(8, opStart);
        stack.push({ ...this.bytesValue(this.uint64(this.pos), 8, opStart), mutable: true });
        return;
      case 0x29: // EMPTY_TUPLE
        stack.push({ type: "tuple", items: [], count: 0 });
        return;
      case 0x85: // TUPLE1
        stack.push(this.tupleOf(1, opStart));
        return;
      case 0x86: // TUPLE2
        stack.push(this.tupleOf(2, opStart));
        return;
      case 0x87: // TUPLE3
        stack.push(this.tupleOf(3, opStart));
        return;
      case 0x74: {
        // TUPLE
        const items = this.popMark(opStart);
        stack.push({ type: "tuple", items: capItems(items), count: items.length });
        return;
      }
      case 0x5d: // EMPTY_LIST
        stack.push({ type: "list", items: [], count: 0 });
        return;
      case 0x6c: {
        // LIST
        const items = this.popMark(opStart);
        stack.push({ type: "list", items: capItems(items), count: items.length });
        return;
      }
      case 0x7d: // EMPTY_DICT
        stack.push({ type: "dict", entries: [], count: 0 });
        return;
      case 0x64: {
        // DICT
        const items = this.popMark(opStart);
        if (items.length % 2 === 1) this.problem("malformed", "DICT with an odd number of items", opStart);
        stack.push({ type: "dict", entries: capItems(items), count: items.length >> 1 });
        return;
      }
      case 0x8f: // EMPTY_SET
        stack.push({ type: "set", items: [], count: 0 });
        return;
      case 0x91: {
        // FROZENSET
        const items = this.popMark(opStart);
        stack.push({ type: "frozenset", items: capItems(items), count: items.length });
        return;
      }
      case 0x61: {
        // APPEND
        const item = this.pop(opStart);
        this.addItems(this.peek(opStart), [item], "list", opStart);
        return;
      }
      case 0x65: {
        // APPENDS
        const items = this.popMark(opStart);
        this.addItems(this.peek(opStart), items, "list", opStart);
        return;
      }
      case 0x90: {
        // ADDITEMS
        const items = this.popMark(opStart);
        this.addItems(this.peek(opStart), items, "set", opStart);
        return;
      }
      case 0x73: {
        // SETITEM
        const value = this.pop(opStart);
        const key = this.pop(opStart);
        this.setItems(this.peek(opStart), [key, value], opStart);
        return;
      }
      case 0x75: {
        // SETITEMS
        const items = this.popMark(opStart);
        if (items.length % 2 === 1) this.problem("malformed", "SETITEMS with an odd number of items", opStart);
        this.setItems(this.peek(opStart), items, opStart);
        return;
      }
      case 0x70: {
        // PUT
        const key = parseIntegerLine(this.lineText(opStart));
        if (key === null || key < 0n) throw new StopParse("malformed", "PUT argument is not an index", opStart);
        this.put(Number(key), opStart);
        return;
      }
      case 0x71: // BINPUT
        this.need(1, opStart);
        this.put(data[this.pos++] as number, opStart);
        return;
      case 0x72: // LONG_BINPUT
        this.need(4, opStart);
        this.put(this.uint32(this.pos), opStart);
        this.pos += 4;
        return;
      case 0x94: // MEMOIZE
        this.put(this.memoCount, opStart);
        return;
      case 0x67: {
        // GET
        const key = parseIntegerLine(this.lineText(opStart));
        if (key === null || key < 0n) throw new StopParse("malformed", "GET argument is not an index", opStart);
        stack.push(this.get(Number(key), opStart));
        return;
      }
      case 0x68: // BINGET
        this.need(1, opStart);
        stack.push(this.get(data[this.pos++] as number, opStart));
        return;
      case 0x6a: // LONG_BINGET
        this.need(4, opStart);
        stack.push(this.get(this.uint32(this.pos), opStart));
        this.pos += 4;
        return;
      case 0x63: {
        // GLOBAL
        const module = this.lineText(opStart);
        const name = this.lineText(opStart);
        stack.push(this.importGlobal(module, name, "GLOBAL", opStart));
        return;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = this.pop(opStart);
        const module = this.pop(opStart);
        if (module.type === "str" && name.type === "str") {
          stack.push(this.importGlobal(module.text, name.text, "STACK_GLOBAL", opStart));
          return;
        }
        const which =
          module.type !== "str" ? `module operand is ${describeType(module)}` : `name operand is ${describeType(name)}`;
        this.problem("malformed", `STACK_GLOBAL ${which}`, opStart);
        stack.push(this.unresolvedImport("STACK_GLOBAL", `STACK_GLOBAL ${which}`, opStart));
        return;
      }
      case 0x82: // EXT1
        this.need(1, opStart);
        stack.push(this.extension(data[this.pos++] as number, "EXT1", opStart));
        return;
      case 0x83: // EXT2
        this.need(2, opStart);
        stack.push(this.extension((data[this.pos] as number) | ((data[this.pos + 1] as number) << 8), "EXT2", opStart));
        this.pos += 2;
        return;
      case 0x84: // EXT4
        this.need(4, opStart);
        stack.push(this.extension(this.int32(this.pos), "EXT4", opStart));
        this.pos += 4;
        return;
      case 0x52: {
        // REDUCE
        const args = this.pop(opStart);
        const callable = this.pop(opStart);
        stack.push(
          this.attributeOf(callable, args, opStart) ??
            this.dillHelperCall(callable, args, opStart) ??
            this.call(callable, args, "REDUCE", opStart),
        );
        return;
      }
      case 0x81: {
        // NEWOBJ
        const args = this.pop(opStart);
        const cls = this.pop(opStart);
        stack.push(this.call(cls, args, "NEWOBJ", opStart));
        return;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = this.pop(opStart);
        const args = this.pop(opStart);
        const cls = this.pop(opStart);
        const object = this.call(cls, args, "NEWOBJ_EX", opStart, kwargs);
        stack.push(object);
        return;
      }
      case 0x6f: {
        // OBJ
        const items = this.popMark(opStart);
        const cls = items.length > 0 ? (items[0] as Value) : UNDERFLOW;
        if (items.length === 0) this.problem("malformed", "OBJ without a class", opStart);
        const args: SequenceValue = {
          type: "tuple",
          items: capItems(items.slice(1)),
          count: Math.max(0, items.length - 1),
        };
        stack.push(this.call(cls, args, "OBJ", opStart));
        return;
      }
      case 0x69: {
        // INST
        const module = this.lineText(opStart);
        const name = this.lineText(opStart);
        const items = this.popMark(opStart);
        const cls = this.importGlobal(module, name, "INST", opStart);
        stack.push(this.call(cls, { type: "tuple", items: capItems(items), count: items.length }, "INST", opStart));
        return;
      }
      case 0x62: {
        // BUILD
        const state = this.pop(opStart);
        const target = this.peek(opStart);
        this.build(target, state, opStart);
        return;
      }
      case 0x50: {
        // PERSID
        const line = this.lineText(opStart);
        this.persistent({ type: "str", text: line, byteLength: line.length }, opStart);
        return;
      }
      case 0x51: // BINPERSID
        this.persistent(this.pop(opStart), opStart);
        return;
      case 0x80: {
        // PROTO
        this.need(1, opStart);
        const protocol = data[this.pos++] as number;
        if (this.protoSeen) this.problem("unusual-structure", `a second PROTO opcode (protocol ${protocol})`, opStart);
        else if (opStart !== this.streamStart) {
          this.problem("unusual-structure", "PROTO is not the first opcode of the stream", opStart);
        }
        if (protocol > HIGHEST_PROTOCOL) {
          // CPython raises "unsupported pickle protocol" here: nothing after it runs.
          if (this.options.mode === "trial") {
            throw new StopParse("malformed", `unsupported pickle protocol ${protocol}`, opStart);
          }
          this.problem(
            "unusual-structure",
            `unsupported pickle protocol ${protocol} (highest is ${HIGHEST_PROTOCOL})`,
            opStart,
          );
        }
        this.protoSeen = true;
        this.protocol = protocol;
        return;
      }
      case 0x95: {
        // FRAME
        this.need(8, opStart);
        const length = this.uint64(this.pos);
        this.pos += 8;
        if (this.frameEnd >= 0 && opStart < this.frameEnd) {
          this.problem(
            "parser-differential",
            "a FRAME starts before the previous frame ended (Python's pickle refuses it; the C unpickler reads on)",
            opStart,
          );
        }
        if (length > data.length - this.pos) {
          this.reachedEnd = true;
          // Python's unpickler reads the short frame, the C one refuses it; this machine reads on as
          // Python does, so both readings are judged: a structural oddity, not a hidden reading.
          this.problem(
            "unusual-structure",
            `FRAME of ${length} bytes is longer than the ${data.length - this.pos} bytes left (the C unpickler refuses it; Python's pickle reads on)`,
            opStart,
          );
          this.frameEnd = -1;
        } else {
          this.frameEnd = this.pos + length;
        }
        return;
      }
      case 0x97: // NEXT_BUFFER
        if (!this.nextBufferSeen) {
          this.nextBufferSeen = true;
          this.problem("unusual-structure", "NEXT_BUFFER: the pickle needs out-of-band buffers to load", opStart);
        }
        stack.push({ type: "unknown", reason: "out-of-band buffer" });
        return;
      case 0x98: // READONLY_BUFFER
        this.peek(opStart);
        return;
      default:
        this.pos = opStart;
        throw new StopParse("malformed", `unknown opcode ${opcodeName(op)} at offset ${opStart}`, opStart);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Imports and calls

  private importGlobal(module: string, name: string, via: string, offset: number): GlobalValue {
    if (this.options.strictNames && (!isDottedIdentifier(module) || !isDottedIdentifier(name))) {
      throw new StopParse("malformed", `${via} names something that is not a Python identifier`, offset);
    }
    this.importCount++;
    // What find_class imports: Python 2 names are mapped first while the protocol is below 3.
    const [loaded, attribute] = mapPython2Name(module, name, this.protocol ?? 0);
    const how = loaded === module && attribute === name ? via : `${via} (Python 2 name ${module}.${name})`;
    const value: GlobalValue = { type: "global", module: loaded, name: attribute };
    if (this.emitsCode) {
      this.hooks.importedModule(loaded);
      const fact: ImportFact = {
        kind: "import",
        module: loaded,
        name: attribute,
        via: how,
        location: this.location(offset, via),
      };
      if (
        (loaded === "builtins" && attribute === "getattr") ||
        dillHelper(loaded, attribute) !== undefined ||
        loadsBytes(loaded, attribute)
      ) {
        value.deferredImport = { fact, resolvedUses: 0, otherUses: 0 };
        this.deferredImports.push(value);
      } else {
        this.hooks.emit(fact);
      }
    }
    return value;
  }

  private unresolvedImport(via: string, reason: string, offset: number): GlobalValue {
    if (this.emitsCode) {
      this.hooks.emit({
        kind: "import",
        module: null,
        name: null,
        via,
        unresolvedReason: reason,
        location: this.location(offset, via),
      });
    }
    return { type: "global", module: null, name: null, unresolvedReason: reason };
  }

  private extension(code: number, via: string, offset: number): GlobalValue {
    const registered = this.options.extensions?.get(code);
    if (registered) return this.importGlobal(registered[0], registered[1], `${via} ${code}`, offset);
    return this.unresolvedImport(
      via,
      `extension code ${code}: resolved at load time through copyreg's extension registry`,
      offset,
    );
  }

  /** Reports each deferred getattr import unless every use of it was a resolved attribute lookup. */
  private settleDeferredImports(): void {
    for (const value of this.deferredImports) {
      const deferred = value.deferredImport;
      if (!deferred) continue;
      if (deferred.resolvedUses === 0 || deferred.otherUses > 0) this.hooks.emit(deferred.fact);
      value.deferredImport = undefined;
    }
    this.deferredImports = [];
  }

  /**
   * `getattr(x, "name")` with a constant, non-dunder name is what pickle writes for a bound method
   * (`method.__reduce__`) or a class's static function: it reaches `<class of x>.name`. Reported as
   * that dotted name, so the policy judges the attribute reached (`pathlib.os` then `.system` is an
   * attribute chain to `os.system`) rather than every bound method as getattr. Dunder names
   * (`__globals__`, `__class__`, ...) and anything not a known class or instance stay getattr calls.
   */
  private attributeOf(callable: Value, args: Value, offset: number): GlobalValue | undefined {
    if (callable.type !== "global" || callable.module !== "builtins" || callable.name !== "getattr") return undefined;
    if (args.type !== "tuple" || args.count !== 2) return undefined;
    const [target, attribute] = args.items;
    if (attribute?.type !== "str" || !PLAIN_ATTRIBUTE.test(attribute.text)) return undefined;
    const owner =
      target?.type === "global" ? target : target?.type === "object" && !target.reclassed ? target.cls : undefined;
    if (!owner || owner.module === null || owner.name === null) return undefined;
    if (callable.deferredImport) callable.deferredImport.resolvedUses++;
    const reached: GlobalValue = {
      type: "global",
      module: owner.module,
      // An empty name is the module itself (dill's `_import_module("numpy")`).
      name: owner.name === "" ? attribute.text : `${owner.name}.${attribute.text}`,
      getattrSource: callable,
    };
    if (this.emitsCode) {
      this.hooks.emit({
        kind: "call",
        callee: { module: reached.module, name: reached.name },
        via: "getattr (REDUCE)",
        args: [],
        location: this.location(offset, "REDUCE"),
      });
    }
    return reached;
  }

  /**
   * A call of one of dill's helpers that only look up, import or apply (see dill-helpers.ts), with
   * constant arguments: reported as what it reaches, so the policy judges that, not the helper.
   * Undefined when the call is anything else (the helper is then judged as itself).
   */
  private dillHelperCall(callable: Value, args: Value, offset: number): Value | undefined {
    if (callable.type !== "global") return undefined;
    const helper = dillHelper(callable.module, callable.name);
    if (helper === undefined || args.type !== "tuple" || args.count !== args.items.length) return undefined;
    const [first, second, state, npdict] = args.items;
    if (helper === "_create_array") {
      // f(*args), then the array's __setstate__(state) and a __dict__ update.
      if (args.count < 3 || args.count > 4 || first?.type !== "global" || first.module === null) return undefined;
      if (first.name === null || second?.type !== "tuple" || second.count !== second.items.length) return undefined;
      if (npdict !== undefined && npdict.type !== "none" && npdict.type !== "dict") return undefined;
      if (callable.deferredImport) callable.deferredImport.resolvedUses++;
      const array = this.call(first, second, "REDUCE (dill._create_array)", offset);
      if (state !== undefined && state.type !== "none") this.build(array, state, offset);
      return array;
    }
    const text = first?.type === "str" ? first.text : undefined;
    if (text === undefined || args.count > (helper === "_import_module" ? 2 : 1)) return undefined;
    const reached =
      helper === "_load_type"
        ? dillLoadType(text)
        : helper === "_eval_repr"
          ? dillEvalRepr(text)
          : dillImportModule(text);
    if (reached === undefined) return undefined;
    if (callable.deferredImport) callable.deferredImport.resolvedUses++;
    const via = `dill.${helper} (REDUCE)`;
    if (this.emitsCode) {
      this.hooks.importedModule(reached.module);
      this.hooks.emit({
        kind: "import",
        module: reached.module,
        name: reached.name,
        via,
        location: this.location(offset, "REDUCE"),
      });
    }
    return { type: "global", module: reached.module, name: reached.name };
  }

  private call(callable: Value, args: Value, via: string, offset: number, kwargs?: Value): ObjectValue {
    const callee = calleeOf(callable);
    const loadsChild = this.loadedChild(callable, args, kwargs);
    if (callable.type === "global" && callable.deferredImport) {
      if (loadsChild === undefined) callable.deferredImport.otherUses++;
      else callable.deferredImport.resolvedUses++;
    }
    // A method reached through getattr and then called is judged as getattr too, not only by its name.
    const source = callable.type === "global" ? callable.getattrSource?.deferredImport : undefined;
    if (source) source.otherUses++;
    if (callee.module === "copyreg" && callee.name === "add_extension" && args.type === "tuple") {
      const [module, name, code] = args.items;
      if (module?.type === "str" && name?.type === "str" && code?.type === "int") {
        this.registerExtension(code.value, module.text, name.text);
      }
    }
    if (this.emitsCode) {
      const rendered = renderArgs(args);
      if (kwargs !== undefined && kwargs.type !== "none") rendered.push(`**${renderValue(kwargs)}`);
      const fact: CallFact = {
        kind: "call",
        callee,
        via,
        args: rendered.slice(0, 9),
        location: this.location(offset, via),
      };
      if (loadsChild !== undefined) fact.loadsChild = loadsChild;
      this.hooks.emit(fact);
    }
    const object: ObjectValue = {
      type: "object",
      callee,
      via,
      args,
      cls: this.classOf(callable, args, callee),
      state: undefined,
    };
    const composed = CALLING_ARGUMENT.get(`${callee.module}.${callee.name}`);
    if (composed && args.type === "tuple" && args.count === args.items.length) {
      // The function calls one of its arguments: that call is judged as a call of its own.
      const inner = args.items[composed.callable];
      const innerArgs =
        composed.args === "rest"
          ? args.items.slice(0, composed.callable)
          : (args.items[composed.args] ?? { type: "tuple", items: [], count: 0 });
      const asArgs: Value = Array.isArray(innerArgs)
        ? { type: "tuple", items: innerArgs, count: innerArgs.length }
        : innerArgs;
      if (inner !== undefined && inner.type !== "none")
        this.call(inner, asArgs, `${via} (${callee.module}.${callee.name})`, offset);
      // _rebuild_from_type_v2 then sets its state's items as attributes of what func returned.
      if (composed.args === 2) this.recordHooks(object, args.items[3]);
    }
    return object;
  }

  /**
   * The child source a call deserializes, when the callee is a loader of one bytes argument (see
   * LOADS_BYTES) and that argument is constant bytes scanned as a child. A bytearray is not: the
   * stream can change it (APPENDS, SETITEMS) before the call.
   */
  private loadedChild(callable: Value, args: Value, kwargs: Value | undefined): string | undefined {
    if (kwargs !== undefined && kwargs.type !== "none") return undefined;
    if (callable.type !== "global" || !loadsBytes(callable.module, callable.name) || callable.getattrSource) {
      return undefined;
    }
    if (args.type !== "tuple" || args.count !== 1 || args.items.length !== 1) return undefined;
    const [bytes] = args.items;
    if (bytes?.type === "bytes") return bytes.mutable ? undefined : bytes.child;
    return latin1Bytes(bytes)?.child;
  }

  /** Keeps the hook-named attributes a BUILD-style state (a dict, or a (dict, slot dict) pair) sets. */
  private recordHooks(target: ObjectValue, state: Value | undefined): void {
    if (state === undefined) return;
    const dicts = state.type === "tuple" && state.count === 2 ? state.items : [state];
    for (const dict of dicts) {
      if (dict?.type !== "dict") continue;
      for (let index = 0; index + 1 < dict.entries.length; index += 2) {
        const key = dict.entries[index] as Value;
        if (key.type !== "str" || !HOOK_NAMES.has(key.text)) continue;
        target.hooks ??= new Map();
        target.hooks.set(key.text, dict.entries[index + 1] as Value);
      }
    }
  }

  /**
   * The method the unpickler calls on an object, when the stream set it as an attribute: judged as a
   * call of what it holds (a REDUCE on an object would be). True when it was called.
   */
  private callHook(target: Value, names: readonly string[], args: Value[], offset: number): boolean {
    if (target.type !== "object" || !target.hooks) return false;
    for (const name of names) {
      const hook = target.hooks.get(name);
      if (hook === undefined) continue;
      // Named as a call (REDUCE) so that it is judged as one: a class called with arguments constructs.
      // (BUILD is how a stream sets one; the call may come from BUILD, APPEND(S) or ADDITEMS.)
      const how = `REDUCE (via ${name} set by BUILD)`;
      this.call(hook, { type: "tuple", items: args, count: args.length }, how, offset);
      return true;
    }
    return false;
  }

  /** The class of the object a call builds, for BUILD: copyreg helpers name it in their first argument. */
  private classOf(callable: Value, args: Value, callee: Callee): GlobalValue | undefined {
    if (callable.type !== "global" || callee.module === null) return undefined;
    if (
      callee.module === "copyreg" ||
      callee.module === "copy_reg" ||
      (callee.module === "torch._utils" && callee.name === "_rebuild_from_type_v2")
    ) {
      const first = args.type === "tuple" ? args.items[0] : undefined;
      if (first?.type === "global") return first;
    }
    return callable;
  }

  private build(target: Value, state: Value, offset: number): void {
    if (target.type === "global") {
      // BUILD on an imported class, function or module writes its attributes (`setattr`, or the
      // module's own namespace): every later load in the process sees the change.
      this.tamper(target, "builtins", "setattr", "BUILD", state, offset);
      return;
    }
    if (target.type !== "object") {
      // State set on a class or function object (or an unknown): no __setstate__ of a known class runs.
      return;
    }
    // `__setstate__` the stream set on the object before: BUILD calls it with the state, and that is all.
    if (this.callHook(target, ["__setstate__"], [state], offset)) return;
    // Second readings share the main reading's values: they judge a copy.
    if (!this.full) target = { ...target, ...(target.hooks ? { hooks: new Map(target.hooks) } : {}) };
    target.state = state;
    this.recordHooks(target, state);
    // A slot state sets attributes with setattr: `__class__` there turns the object into another class.
    const slotClass = state.type === "tuple" && state.count === 2 ? dictGet(state.items[1], "__class__") : undefined;
    if (slotClass !== undefined) {
      target.cls = slotClass.type === "global" ? slotClass : undefined;
      target.reclassed = true;
    }
    const cls = target.cls;
    if (cls && cls.module !== null && cls.name !== null && this.emitsCode) {
      this.hooks.emit({
        kind: "call",
        callee: { module: cls.module, name: cls.name },
        via: "BUILD",
        args: [renderValue(state).slice(0, 80)],
        location: this.location(offset, "BUILD"),
      });
    }
    if (!this.options.joblibArrays) return;
    if (isArrayWrapper(cls)) this.skipJoblibArray(target, offset);
    else if (this.full && !isSideFileWrapper(cls)) {
      // A wrapper handed back by a call it went through, or an object given a wrapper's state.
      // A wrapper object among a call's arguments is everyday joblib (sklearn's Tree(n_features,
      // n_classes, n_outputs)): that reading is judged without calling the file odd.
      const inside = wrapperArgument(target);
      if (inside === "class") this.possibleWrapper(target, offset, true);
      else if (inside !== undefined) this.possibleWrapper({ ...inside, state }, offset, false);
      else if (looksLikeWrapperState(state)) this.possibleWrapper(target, offset, true);
    } else if (isSideFileWrapper(cls) && this.full) {
      // joblib <= 0.9 loads this wrapper's array from a file beside the pickle, with allow_pickle.
      const filename = sideFileName(target);
      if (filename !== undefined) {
        this.hooks.sideFile({
          kind: "reference",
          target: filename,
          referenceKind: "path",
          key: "joblib NDArrayWrapper filename",
          location: this.location(offset, "BUILD"),
        });
      }
    }
  }

  private persistent(pid: Value, offset: number): void {
    if (this.persistentIds.length < MAX_PERSISTENT_IDS) this.persistentIds.push(pid);
    if (this.full && pid.type === "str" && pid.text.length >= TEXT_FACT_MIN) {
      this.hooks.emit({
        kind: "text",
        text: pid.text,
        role: "string-constant",
        location: this.location(offset, "PERSID"),
      });
    }
    const cls = legacyTorchModuleClass(pid);
    const source = cls && pid.type === "tuple" ? pid.items[3] : undefined;
    if (source?.type === "str" && source.heldText) {
      // _legacy_load compares this text with the class's current source: Python code, not metadata.
      const name = cls?.type === "global" && cls.module !== null ? `${cls.module}.${cls.name}` : "a class";
      this.hooks.emit({
        kind: "code",
        language: "python",
        text: source.text,
        location: { ...source.heldText.location, path: `source of ${name} (legacy torch.save)` },
      });
      source.heldText = undefined;
    }
    this.stack.push(cls ?? { type: "persistent", pid });
  }

  // -------------------------------------------------------------------------------------------
  // joblib inline arrays

  /**
   * A BUILD with a joblib array wrapper's state on an object whose class this reading does not
   * resolve to the wrapper: joblib decides with `isinstance` at load time, and a callable that hands
   * back its argument (numpy's scalar() with an object dtype, copyreg helpers) makes a wrapper under
   * another name. joblib would then read the array's bytes here and go on after them: that reading
   * is judged too.
   */
  private possibleWrapper(target: ObjectValue, offset: number, odd: boolean): void {
    if (odd) {
      this.problem(
        "parser-differential",
        `BUILD at offset ${offset} on ${describeType(target)}, which may be a joblib array wrapper under another name: if it is one, joblib reads array bytes from here`,
        offset,
      );
    }
    const layout = joblibArrayLayout(target, (value) => this.data.subarray(value.start, value.start + value.length));
    if (layout.kind === "unknown" || this.shadows >= MAX_SHADOWS) return;
    this.shadows++;
    if (layout.kind === "object") {
      // An object array is a pickle of its own (pickle.load), then the stream goes on after it.
      this.shadowReading(this.pos, undefined, false);
      return;
    }
    const padding = layout.alignment === null ? 0 : 1 + ((this.data[this.pos] as number | undefined) ?? 0);
    const end = this.pos + padding + layout.byteLength;
    if (end < this.data.length) this.shadowReading(end);
    else this.reachedEnd = true;
  }

  private skipJoblibArray(wrapper: ObjectValue, offset: number): void {
    const layout = joblibArrayLayout(wrapper, (value) => this.data.subarray(value.start, value.start + value.length));
    // Plain pickle.load knows nothing of the wrapper and reads opcodes right after its BUILD.
    if (layout.kind !== "object") this.plainReading();
    if (layout.kind === "unknown") {
      throw new StopParse(
        "malformed",
        `joblib NumpyArrayWrapper at offset ${offset}: ${layout.reason}; cannot tell where its array data ends`,
        offset,
      );
    }
    // joblib reads array bytes from the file, not through the unpickler's frame buffer. Its writer
    // commits the frame first; in a file whose BUILD sits inside a frame, the array comes from after
    // the frame (after earlier such arrays) while opcodes go on with the rest of the frame, then
    // resume in the file after the array.
    const inFrame = this.frameEnd >= 0 && this.pos < this.frameEnd;
    if (inFrame) {
      this.problem(
        "parser-differential",
        "joblib array data is read from after the FRAME its wrapper's BUILD sits in: opcodes go on inside the frame, then after the array",
        offset,
      );
    }
    const readAt = inFrame ? (this.frameJump?.to ?? this.frameEnd) : this.pos;
    let end: number;
    if (layout.kind === "object") {
      // An object array is a complete pickle of its own, loaded with plain pickle.load.
      const nested = new PickleMachine(this.data, this.hooks, { ...this.options, joblibArrays: false });
      const result = nested.run(readAt);
      if (result.reachedEnd) this.reachedEnd = true;
      this.unreadTouched ??= result.unreadTouched;
      if (!result.complete) {
        this.pos = result.end;
        throw new StopParse(
          result.failure?.code ?? "truncated",
          `joblib object array at offset ${offset}: ${result.failure?.message ?? "its pickle did not end"}`,
          result.failure?.offset ?? this.pos,
        );
      }
      end = result.end;
      if (result.frameEnd !== undefined) this.nestedFrameEnd(offset, result.end, result.frameEnd, inFrame);
    } else {
      let dataStart = readAt;
      if (layout.alignment !== null) {
        if (readAt >= this.data.length) {
          this.reachedEnd = true;
          this.pos = this.data.length;
          throw new StopParse(
            "truncated",
            `joblib array padding byte at offset ${readAt}: the data ends first`,
            offset,
          );
        }
        const padding = this.data[readAt] as number;
        dataStart = readAt + 1 + padding;
      }
      if (layout.byteLength > this.data.length - dataStart) {
        this.reachedEnd = true;
        this.pos = Math.min(dataStart, this.data.length);
        throw new StopParse(
          "truncated",
          `joblib array (${layout.dtype}, shape ${layout.shape.join("×")}) needs ${layout.byteLength} bytes at offset ${dataStart}; ${Math.max(0, this.data.length - dataStart)} remain`,
          offset,
          dataStart + layout.byteLength,
          { start: dataStart, end: dataStart + layout.byteLength },
        );
      }
      if (this.full) this.joblibArray(wrapper, layout, dataStart, offset);
      end = dataStart + layout.byteLength;
    }
    if (inFrame) {
      this.frameJump = { at: this.frameEnd, to: end };
    } else {
      // Array bytes lie between frames (the frame, if any, ended at the BUILD).
      this.frameEnd = -1;
      this.pos = end;
    }
  }

  /**
   * A joblib array's bytes, in place in the pickle: a tensor fact named once the stream's value shows
   * where the array is stored (`classifier.coef_`), `joblib-array@<offset>` otherwise.
   */
  private joblibArray(
    wrapper: ObjectValue,
    layout: Extract<JoblibArrayLayout, { kind: "numeric" }>,
    dataStart: number,
    offset: number,
  ): void {
    const { dtype, byteOrder } = dtypeFromNumpy(layout.dtype);
    // joblib writes an F-ordered array transposed: its bytes are a C-order array of the reversed shape.
    const shape = layout.fortran ? [...layout.shape].reverse() : layout.shape;
    const fact: TensorFact = {
      kind: "tensor",
      name: `joblib-array@${dataStart}`,
      dtype,
      formatDtype: layout.dtype,
      shape,
      byteOrder,
      location: this.location(offset, "BUILD"),
    };
    // Opaque items (strings, structured records) have no element size here: the bytes are all there is.
    if (dtype === "opaque" || dataByteLength(dtype, shape) === layout.byteLength) {
      fact.data = { offset: dataStart, length: layout.byteLength };
    } else {
      this.anomaly(
        "malformed",
        `joblib array ${layout.dtype} of shape ${shape.join("×")}: ${layout.byteLength} bytes do not match its element type`,
        offset,
      );
    }
    if (this.pendingArrays.length < MAX_PENDING_ARRAYS) this.pendingArrays.push({ wrapper, fact });
    else this.hooks.emit(fact);
  }

  /** Names the stream's joblib arrays by where its value keeps them, then emits them. */
  private emitJoblibArrays(value: Value | undefined): void {
    if (this.pendingArrays.length === 0) return;
    const names = new Map<Value, string>();
    const wrappers = new Set<Value>(this.pendingArrays.map((pending) => pending.wrapper));
    if (value !== undefined) {
      walkNamedValues(value, (path, reached) => {
        if (!wrappers.has(reached)) return true;
        if (path !== "" && !names.has(reached)) names.set(reached, path);
        return false;
      });
    }
    for (const { wrapper, fact } of this.pendingArrays.splice(0)) {
      const name = names.get(wrapper);
      this.hooks.emit(name === undefined ? fact : { ...fact, name });
    }
  }

  /**
   * A joblib object array's pickle whose STOP sits inside a FRAME that runs on: joblib's
   * `pickle.load(file)` (the C unpickler) leaves the file at the STOP when the frame came from its
   * peek buffer, at the frame's end when it read the frame with one read() (frames over the 8 KiB
   * buffer); the outer stream resumes there. The main reading resumes after the STOP; a second
   * reading resumes from the frame end, from this stream's stack and memo.
   */
  private nestedFrameEnd(offset: number, stop: number, frameEnd: number, inFrame: boolean): void {
    if (!this.full) return;
    this.problem(
      "parser-differential",
      `joblib object array at offset ${offset}: its pickle stops at offset ${stop} inside a FRAME that ends at ${frameEnd}; joblib reads on from either, depending on the frame's size and the file object`,
      offset,
    );
    if (this.shadows >= MAX_SHADOWS) return;
    this.shadows++;
    if (!inFrame) {
      this.shadowReading(frameEnd);
      return;
    }
    // The wrapper's BUILD sat inside a frame: opcodes go on there, then resume at the frame end.
    this.shadowReading(this.pos, undefined, true, { at: this.frameEnd, to: frameEnd, frameEnd: this.frameEnd });
  }

  /** A shadow reading reached bytes that were never read: it stops, and the caller reads them. */
  private touchedUnread(start: number, end: number): never {
    this.unreadTouched ??= { start, end };
    throw new StopParse("truncated", `bytes at offset ${start} were not read`, start);
  }

  /** A bounded second reading from here, as an unpickler without joblib's array handling reads on. */
  private plainReading(): void {
    if (!this.full) return;
    if (this.pos >= this.data.length) {
      this.reachedEnd = true;
      return;
    }
    this.shadowReading(this.pos, PLAIN_READING_OPCODES);
  }

  /**
   * A second reading from `start` that reports only imports and calls and stops at its first problem;
   * `goesOn` when it continues this stream (from its stack and memo), not a new pickle.
   */
  private shadowReading(
    start: number,
    maxOpcodes?: number,
    goesOn = true,
    jump?: { at: number; to: number; frameEnd: number },
  ): void {
    const shadow = new PickleMachine(this.data, this.hooks, {
      stream: this.stream,
      mode: "shadow",
      joblibArrays: false,
      ...(this.options.extensions ? { extensions: this.options.extensions } : {}),
      ...(maxOpcodes !== undefined ? { maxOpcodes } : {}),
      ...(this.options.unread ? { unread: this.options.unread } : {}),
    });
    // The second reading goes on from where this one is: its stack, marks and memo (a reader that
    // continues the stream elsewhere keeps them; a payload may start by popping what is there).
    if (goesOn) shadow.inherit(this);
    if (jump) {
      shadow.frameEnd = jump.frameEnd;
      shadow.frameJump = { at: jump.at, to: jump.to };
    }
    const result = shadow.run(start);
    if (result.reachedEnd) this.reachedEnd = true;
    this.unreadTouched ??= result.unreadTouched;
  }

  // -------------------------------------------------------------------------------------------
  // FRAME differential

  private frameCrossed(op: number, opStart: number): void {
    const frameEnd = this.frameEnd;
    this.frameEnd = -1;
    if (this.options.mode !== "full") return;
    this.problem(
      "parser-differential",
      `${opcodeName(op)} at offset ${opStart} reads past the end of its FRAME at ${frameEnd}: Python's pickle refuses it, the C unpickler and pickletools read on`,
      opStart,
    );
    if (this.shadows >= MAX_SHADOWS) return;
    this.shadows++;
    // A second reading from the frame end shows what a frame-respecting reader would see there.
    this.shadowReading(frameEnd);
  }

  // -------------------------------------------------------------------------------------------
  // Values

  private strValue(text: string, byteLength: number, offset: number): Value {
    let child: string | undefined;
    if (this.full && text.length >= TEXT_FACT_MIN) {
      const fact: TextFact = { kind: "text", text, role: "string-constant", location: { offset, stream: this.stream } };
      const source = this.classSourceSlot();
      if (source) {
        // Held until the PERSID shows whether it is a class's source (code) or an ordinary string.
        const value: StrValue = { type: "str", text, byteLength, heldText: fact };
        this.heldTexts.push(value);
        return value;
      }
      this.hooks.emit(fact);
      // Protocol <= 2 pickles bytes as _codecs.encode(str, "latin1"): a pickle inside shows as a str.
      if (text.charCodeAt(0) === 0x80 && text.length < MAX_TEXT) child = this.latin1Candidate(text, offset);
    }
    return child === undefined ? { type: "str", text, byteLength } : { type: "str", text, byteLength, child };
  }

  /**
   * Whether a str pushed now is the fourth item of torch's legacy `('module', cls, source_file, source)`
   * persistent id: the stack above the last MARK holds `'module'`, a global and a str.
   */
  private classSourceSlot(): boolean {
    const mark = this.marks[this.marks.length - 1];
    if (mark === undefined || this.stack.length - mark !== 3) return false;
    const [typename, cls, file] = this.stack.slice(mark);
    return typename?.type === "str" && typename.text === "module" && cls?.type === "global" && file?.type === "str";
  }

  /** Emits the held string facts: as text, or, for a legacy class's source, as that class's Python code. */
  private settleHeldTexts(): void {
    for (const value of this.heldTexts) {
      const fact = value.heldText;
      if (fact) this.hooks.emit(fact);
      value.heldText = undefined;
    }
    this.heldTexts = [];
  }

  private latin1Candidate(text: string, offset: number): string | undefined {
    const bytes = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0xff) return undefined;
      bytes[index] = code;
    }
    return this.hooks.embeddedBytes(offset, bytes);
  }

  private utf8String(length: number, opStart: number, width = 4): Value {
    this.pos += width;
    this.needLength(length, opStart);
    const start = this.pos;
    this.pos += length;
    const value = this.strValue(decodeUtf8(this.data, start, length, MAX_TEXT), length, opStart);
    if (length >= EMBEDDED_TEXT_MIN && this.full)
      this.hooks.embeddedText(opStart, this.data.subarray(start, start + length));
    return value;
  }

  private latin1String(length: number, opStart: number): Value {
    this.needLength(length, opStart);
    const start = this.pos;
    this.pos += length;
    const value = this.strValue(decodeLatin1(this.data, start, length, MAX_TEXT), length, opStart);
    this.embedded(start, length, opStart, true);
    return value;
  }

  private bytesValue(length: number, width: number, opStart: number): BytesValue {
    this.pos += width;
    this.needLength(length, opStart);
    const start = this.pos;
    this.pos += length;
    const child = this.embedded(start, length, opStart, false);
    return child === undefined ? { type: "bytes", start, length } : { type: "bytes", start, length, child };
  }

  /** Hands possibly-pickle bytes (and base64/hex text) to the handler: the child source the bytes are, if any. */
  private embedded(start: number, length: number, opStart: number, alsoText: boolean): string | undefined {
    if (!this.full || length < 2) return undefined;
    const bytes = this.data.subarray(start, start + length);
    const child = this.hooks.embeddedBytes(opStart, bytes);
    if (alsoText && length >= EMBEDDED_TEXT_MIN) this.hooks.embeddedText(opStart, bytes);
    return child;
  }

  private long(length: number, opStart: number): Value {
    this.needLength(length, opStart);
    const start = this.pos;
    this.pos += length;
    if (length === 0) return intValue(0);
    const data = this.data;
    if (length <= 6) {
      let value = 0;
      for (let index = length - 1; index >= 0; index--) value = value * 256 + (data[start + index] as number);
      if ((data[start + length - 1] as number) & 0x80) value -= 2 ** (8 * length);
      return intValue(value);
    }
    if (length > 64) return { type: "int", value: Number.NaN };
    let big = 0n;
    for (let index = length - 1; index >= 0; index--) big = (big << 8n) | BigInt(data[start + index] as number);
    if ((data[start + length - 1] as number) & 0x80) big -= 1n << BigInt(8 * length);
    return { type: "int", value: Number(big), big };
  }

  private integerFromLine(line: string, via: string, offset: number): Value {
    const value = parseIntegerLine(line);
    if (value === null) throw new StopParse("malformed", `${via} argument is not an integer`, offset);
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? intValue(asNumber) : { type: "int", value: asNumber, big: value };
  }

  private tupleOf(count: number, offset: number): Value {
    const items: Value[] = new Array(count);
    for (let index = count - 1; index >= 0; index--) items[index] = this.pop(offset);
    return { type: "tuple", items, count };
  }

  private registerExtension(code: number, module: string, name: string): void {
    if (this.options.extensions && this.options.extensions.size < MAX_EXTENSIONS) {
      this.options.extensions.set(code, [module, name]);
    }
  }

  /**
   * A pickle that mutates something it imported (a module, a class, a registry such as torch's
   * global hook dicts) instead of an object it built: reported as the setattr/setitem it performs.
   */
  private tamper(target: GlobalValue, module: string, name: string, via: string, what: Value, offset: number): void {
    if (!this.emitsCode) return;
    const subject = target.module !== null && target.name !== null ? `${target.module}.${target.name}` : "a global";
    this.hooks.emit({
      kind: "call",
      callee: { module, name },
      via: `${via} on ${subject}`,
      args: [subject, renderValue(what).slice(0, 80)],
      location: this.location(offset, via),
    });
  }

  private addItems(target: Value, items: Value[], kind: "list" | "set", offset: number): void {
    if (target.type === "global") {
      const via = kind === "list" ? "APPEND" : "ADDITEMS";
      this.tamper(target, "operator", "setitem", via, { type: "list", items, count: items.length }, offset);
      return;
    }
    if (target.type === "list" || target.type === "set") {
      // Second readings share the main reading's values: only the main reading changes them.
      if (!this.full) return;
      for (const item of items) if (target.items.length < MAX_CONTAINER_ITEMS) target.items.push(item);
      target.count += items.length;
      return;
    }
    if (target.type === "object") {
      // list subclasses, or objects with extend()/append()/add(): methods the stream set are calls.
      if (kind === "list") {
        // CPython's C unpickler uses `extend` for APPEND too when the object has one.
        const list: Value = { type: "list", items, count: items.length };
        if (this.callHook(target, ["extend"], [list], offset)) return;
        for (const item of items) if (!this.callHook(target, ["append"], [item], offset)) break;
      } else {
        for (const item of items) if (!this.callHook(target, ["add"], [item], offset)) break;
      }
      return;
    }
    if (target.type === "unknown") return;
    // CPython calls `extend` (or `append`) on what is not a list: a bytearray has both.
    if (target.type === "bytes" && target.mutable && kind === "list") return;
    this.problem("malformed", `${kind === "list" ? "APPEND" : "ADDITEMS"} to ${describeType(target)}`, offset);
  }

  private setItems(target: Value, items: Value[], offset: number): void {
    if (target.type === "global") {
      if (target.module === "copyreg" && target.name !== null && EXTENSION_TABLES.has(target.name)) {
        for (let index = 0; index + 1 < items.length; index += 2) {
          const code = items[index] as Value;
          const entry = items[index + 1] as Value;
          const pair = entry.type === "tuple" ? entry.items : [];
          const named =
            pair[0]?.type === "str" && pair[1]?.type === "str"
              ? ([pair[0].text, pair[1].text] as const)
              : entry.type === "global" && entry.module !== null && entry.name !== null
                ? ([entry.module, entry.name] as const)
                : undefined;
          if (code.type === "int" && named) this.registerExtension(code.value, named[0], named[1]);
        }
      }
      const keys: Value[] = items.filter((_item, index) => index % 2 === 0);
      this.tamper(target, "operator", "setitem", "SETITEM", { type: "list", items: keys, count: keys.length }, offset);
      return;
    }
    if (target.type === "dict") {
      if (!this.full) return;
      for (const item of items) if (target.entries.length < MAX_CONTAINER_ITEMS * 2) target.entries.push(item);
      target.count += items.length >> 1;
      return;
    }
    if (target.type === "object") {
      // dict subclasses (OrderedDict: every torch state dict) and objects with __setitem__.
      if (!this.full) return;
      target.entries ??= [];
      for (const item of items) if (target.entries.length < MAX_CONTAINER_ITEMS * 2) target.entries.push(item);
      return;
    }
    // A list (and a bytearray) takes integer keys (`list[0] = v`).
    if (target.type === "unknown" || target.type === "list" || (target.type === "bytes" && target.mutable)) return;
    this.problem("malformed", `SETITEM on ${describeType(target)}`, offset);
  }

  private put(key: number, offset: number): void {
    if (this.stack.length === 0) {
      this.problem("malformed", "memo store with an empty stack", offset);
      return;
    }
    const value = this.stack[this.stack.length - 1] as Value;
    if (key < DENSE_MEMO_KEYS) {
      if (this.memoSlots[key] === undefined) this.countMemoEntry(offset);
      // Filling holes keeps the array packed when keys arrive out of order.
      while (this.memoSlots.length < key) this.memoSlots.push(undefined);
      this.memoSlots[key] = value;
      return;
    }
    if (!this.memoFar.has(key)) this.countMemoEntry(offset);
    this.memoFar.set(key, value);
  }

  private countMemoEntry(offset: number): void {
    if (this.memoCount >= MAX_MEMO_ENTRIES) {
      throw new StopParse("limit-exceeded", `more than ${MAX_MEMO_ENTRIES} memo entries`, offset);
    }
    this.memoCount++;
  }

  private get(key: number, offset: number): Value {
    const value = key < DENSE_MEMO_KEYS ? this.memoSlots[key] : this.memoFar.get(key);
    if (value !== undefined) return value;
    const reason = `memo key ${key} was never stored (the loader raises KeyError here)`;
    // Judged as an unresolved value rather than refused: a scanner that stops here hides what a
    // slightly different stream (or a loader with a pre-filled memo) would run.
    if (this.options.mode !== "trial") this.problem("malformed", reason, offset);
    return { type: "unknown", reason };
  }

  private pop(offset: number): Value {
    const value = this.stack.pop();
    if (value !== undefined) {
      const marks = this.marks;
      // Popping below the current MARK: both CPython unpicklers refuse it.
      if (marks.length > 0 && this.stack.length < (marks[marks.length - 1] as number)) {
        this.problem("malformed", "an opcode pops below the current MARK", offset);
        marks.pop();
      }
      return value;
    }
    this.problem("malformed", "stack underflow", offset);
    return UNDERFLOW;
  }

  private peek(offset: number): Value {
    const value = this.stack[this.stack.length - 1];
    if (value !== undefined) return value;
    this.problem("malformed", "stack underflow", offset);
    return UNDERFLOW;
  }

  private popMark(offset: number): Value[] {
    const mark = this.marks.pop();
    if (mark === undefined) {
      this.problem("malformed", "no MARK on the mark stack", offset);
      return this.stack.splice(0);
    }
    return this.stack.splice(mark);
  }

  // -------------------------------------------------------------------------------------------
  // Reading arguments

  private need(count: number, opStart: number): void {
    if (this.pos + count > this.data.length) {
      this.reachedEnd = true;
      const name = opcodeName(this.data[opStart] as number);
      this.pos = this.data.length;
      throw new StopParse(
        "truncated",
        `${name} at offset ${opStart} needs ${count} argument bytes; the data ends first`,
        opStart,
      );
    }
  }

  /** A length field: checked against the bytes that exist before anything is sliced. */
  private needLength(length: number, opStart: number): void {
    const left = this.data.length - this.pos;
    if (length <= left) return;
    this.reachedEnd = true;
    const name = opcodeName(this.data[opStart] as number);
    const message = `${name} at offset ${opStart} declares ${length} bytes; only ${left} remain`;
    if (length >= ABSURD_LENGTH && this.full) this.anomaly("limit-exceeded", message, opStart);
    const declaredEnd = this.pos + length;
    this.pos = this.data.length;
    throw new StopParse("truncated", message, opStart, declaredEnd);
  }

  private line(opStart: number): Uint8Array {
    const data = this.data;
    const newline = data.indexOf(0x0a, this.pos);
    if (newline < 0) {
      this.reachedEnd = true;
      this.pos = data.length;
      throw new StopParse(
        "truncated",
        `${opcodeName(data[opStart] as number)} at offset ${opStart} has no end of line`,
        opStart,
      );
    }
    const line = data.subarray(this.pos, newline);
    this.pos = newline + 1;
    return line;
  }

  private lineText(opStart: number): string {
    const line = this.line(opStart);
    return decodeUtf8(line, 0, line.length, MAX_TEXT);
  }

  private int32(at: number): number {
    const data = this.data;
    return (
      (data[at] as number) |
      ((data[at + 1] as number) << 8) |
      ((data[at + 2] as number) << 16) |
      ((data[at + 3] as number) << 24)
    );
  }

  private uint32(at: number): number {
    return this.int32(at) >>> 0;
  }

  /** Unsigned 64-bit little-endian; values past 2^53 come back as +Infinity-ish (still "too long"). */
  private uint64(at: number): number {
    const low = this.uint32(at);
    const high = this.uint32(at + 4);
    return high * 2 ** 32 + low;
  }

  // -------------------------------------------------------------------------------------------
  // Problems

  private location(offset: number, opcode: string) {
    return { offset, opcode, stream: this.stream };
  }

  /** A recoverable problem: reported in full mode (up to a cap), fatal in trial and shadow mode. */
  private problem(code: AnomalyCode, message: string, offset: number): void {
    if (!this.full) {
      // A trial parse asks "is this a pickle?": odd-but-loadable structure still says yes.
      if (this.options.mode === "trial" && (code === "unusual-structure" || code === "parser-differential")) return;
      throw new StopParse(code, message, offset);
    }
    this.problems++;
    if (this.problems > MAX_PROBLEMS) {
      throw new StopParse("limit-exceeded", `more than ${MAX_PROBLEMS} structural problems in one stream`, offset);
    }
    this.anomaly(code, message, offset);
  }

  private anomaly(code: AnomalyCode, message: string, offset: number): void {
    this.hooks.emit({
      kind: "anomaly",
      code,
      message,
      location: { offset, opcode: opcodeName(this.data[offset] ?? 0), stream: this.stream },
    });
  }
}

function capItems(items: Value[]): Value[] {
  return items.length <= MAX_CONTAINER_ITEMS ? items : items.slice(0, MAX_CONTAINER_ITEMS);
}

/** A state dict with the attributes joblib's array wrapper has (its shape, dtype and layout). */
function looksLikeWrapperState(state: Value): boolean {
  const dict = state.type === "tuple" && state.count === 2 ? state.items[0] : state;
  if (dict?.type !== "dict") return false;
  return (
    dictGet(dict, "shape") !== undefined &&
    dictGet(dict, "dtype") !== undefined &&
    (dictGet(dict, "order") !== undefined || dictGet(dict, "allow_mmap") !== undefined)
  );
}

/**
 * A joblib array wrapper among a call's arguments: an argument that is a wrapper object (a callable
 * such as numpy's scalar() with an object dtype hands its argument back), or the wrapper class itself
 * given to a call or to a call inside it (`copyreg.__newobj__(scalar(dtype("O"), NumpyArrayWrapper))`
 * makes a wrapper). `"class"` for the latter.
 */
function wrapperArgument(target: ObjectValue): ObjectValue | "class" | undefined {
  const args = target.args?.type === "tuple" ? target.args.items : [];
  for (const arg of args) {
    if (arg.type === "object" && isArrayWrapper(arg.cls)) return arg;
    if (arg.type === "global" && isArrayWrapper(arg)) return "class";
    if (arg.type === "object" && arg.args?.type === "tuple") {
      if (arg.args.items.some((inner) => inner.type === "global" && isArrayWrapper(inner))) return "class";
    }
  }
  return undefined;
}

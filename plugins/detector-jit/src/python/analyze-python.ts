import type { Severity } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { type AnalysisOptions, type CodeIssue, DEFAULT_ANALYSIS_OPTIONS } from "../code-issue.js";
import { describePosition, LineIndex } from "../line-index.js";
import { operatorCall, operatorStatus, TORCH_OPERATORS_VERSION } from "../torchscript/operator-registry.js";
import {
  type CallCategory,
  type CodeLanguageJudged,
  canonicalName,
  classifyCall,
  importConcern,
  isSensitivePath,
} from "./dangerous-names.js";
import { type ImportToken, parseImport } from "./imports.js";
import { type PythonParser, pythonParser } from "./python-parser.js";
import { decodePythonString } from "./python-string.js";
import {
  asString,
  braceFormat,
  clampCode,
  concatenate,
  decode,
  isBuilt,
  join,
  LOCAL,
  MAX_SEQUENCE_ITEMS,
  percentFormat,
  ref,
  repeat,
  stringValue,
  subscript,
  UNKNOWN,
  type Value,
} from "./symbolic-value.js";

type Cursor = ReturnType<ReturnType<PythonParser["parse"]>["cursor"]>;
type SyntaxNode = ReturnType<PythonParser["parse"]>["topNode"];

interface Arguments {
  positional: Value[];
  keywords: Map<string, Value>;
}

interface Child {
  name: string;
  from: number;
  to: number;
  value: Value;
  args?: Arguments;
}

interface Frame {
  name: string;
  from: number;
  to: number;
  children: Child[];
  /** A def, lambda or class opened a scope here. */
  scope: boolean;
  function: boolean;
}

interface RecordedImport {
  module: string;
  member?: string;
  from: number;
  via: string;
}

/** Builtin names the analysis resolves to `builtins.<name>` unless the code rebinds them. */
const BUILTINS = new Set([
  "eval",
  "exec",
  "compile",
  "execfile",
  "__import__",
  "open",
  "getattr",
  "globals",
  "vars",
  "locals",
  "chr",
  "str",
  "bytes",
  "bytearray",
  "map",
  "input",
  "breakpoint",
  "setattr",
  "reversed",
]);

/** Nodes whose value the analysis reads from their text instead of their children. */
const ATOMIC = new Set(["String", "Number", "Comment"]);
const PUNCTUATION = new Set(["(", ")", "[", "]", "{", "}", ",", ":", ";", "."]);
const PATH_FUNCTIONS = new Set([
  "os.path.join",
  "os.path.expanduser",
  "os.path.expandvars",
  "os.path.abspath",
  "os.path.normpath",
  "os.path.realpath",
]);
const PATH_METHODS = new Set(["expanduser", "resolve", "absolute", "joinpath", "with_name", "with_suffix"]);
const DECODERS =
  /^(base64\.(b64decode|b32decode|b16decode|b85decode|a85decode|urlsafe_b64decode|decodebytes|decodestring)|binascii\.(unhexlify|a2b_base64|a2b_hex)|codecs\.decode|builtins\.bytes\.fromhex|builtins\.bytearray\.fromhex|(zlib|gzip|bz2|lzma)\.decompress)$/;
const SENDING_VERBS = new Set(["post", "put", "patch", "delete", "send", "sendall", "sendto", "connect", "upload"]);

/**
 * Parses Python or TorchScript source with @lezer/python (error-tolerant: a broken file still gives
 * a tree) and judges it by what it imports and calls. Names are resolved through an alias table
 * (`import os as o`, `from subprocess import Popen as P`, `__import__("o" + "s")`, getattr with
 * folded strings); the tree is walked with a cursor, never recursively, so deep nesting is safe.
 */
export function analyzePython(
  code: string,
  language: CodeLanguageJudged,
  options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
): CodeIssue[] {
  const text = code.length > options.maxCodeChars ? code.slice(0, options.maxCodeChars) : code;
  // The parser builds its tree recursively: nesting this deep could exhaust the stack. The caller
  // checks `bracketNesting` first and reports such code as not analysed.
  if (bracketNesting(text) > MAX_BRACKET_NESTING) return [];
  return new PythonAnalysis(text, language, options).run();
}

/**
 * Deepest bracket nesting anywhere in the text (brackets inside strings count too, which only
 * overestimates). CPython itself refuses more than 200 nested brackets.
 */
export const MAX_BRACKET_NESTING = 2_000;

export function bracketNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x28 || code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((code === 0x29 || code === 0x5d || code === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

class PythonAnalysis {
  private readonly issues: CodeIssue[] = [];
  private readonly lines: LineIndex;
  private readonly scopes: Map<string, Value>[] = [new Map()];
  /** `self.fn = os.system` style bindings, keyed by the target as written. */
  private readonly memberBindings = new Map<string, Value>();
  /** Every import anywhere in the file, so a use before the statement still resolves. */
  private readonly hoisted = new Map<string, Value>();
  private readonly starModules: string[] = [];
  private readonly imports: RecordedImport[] = [];
  /** Top-level modules a judged call went through (their imports need no separate finding). */
  private readonly calledModules = new Set<string>();
  private readonly frames: Frame[] = [];
  private functionDepth = 0;
  private nodes = 0;

  constructor(
    private readonly text: string,
    private readonly language: CodeLanguageJudged,
    private readonly options: AnalysisOptions,
  ) {
    this.lines = new LineIndex(text);
  }

  run(): CodeIssue[] {
    const tree = pythonParser().parse(this.text);
    this.hoistImports(tree.cursor());
    this.walk(tree.cursor());
    this.reportImports();
    return this.issues;
  }

  // ------------------------------------------------------------------------------------------
  // Traversal

  private hoistImports(cursor: Cursor): void {
    let visited = 0;
    for (;;) {
      if (++visited > this.options.maxNodes) return;
      if (cursor.name === "ImportStatement") {
        for (const binding of parseImport(this.tokens(cursor.node))) {
          if (binding.local && binding.target) this.hoisted.set(binding.local, ref(binding.target));
        }
      } else if (!ATOMIC.has(cursor.name) && cursor.firstChild()) continue;
      while (!cursor.nextSibling()) {
        if (!cursor.parent()) return;
      }
    }
  }

  private tokens(node: SyntaxNode): ImportToken[] {
    const tokens: ImportToken[] = [];
    for (let child = node.firstChild; child && tokens.length < 10_000; child = child.nextSibling) {
      tokens.push({ name: child.name, text: this.text.slice(child.from, Math.min(child.to, child.from + 256)) });
    }
    return tokens;
  }

  private walk(cursor: Cursor): void {
    this.open(cursor);
    for (;;) {
      const top = this.frames.at(-1) as Frame;
      if (!ATOMIC.has(top.name) && cursor.firstChild()) {
        this.open(cursor);
        continue;
      }
      for (;;) {
        this.close();
        if (++this.nodes > this.options.maxNodes || this.issues.length >= this.options.maxIssues) return;
        if (cursor.nextSibling()) {
          this.open(cursor);
          break;
        }
        if (!cursor.parent()) return;
      }
    }
  }

  private open(cursor: Cursor): void {
    const name = cursor.name;
    const isFunction = name === "FunctionDefinition" || name === "LambdaExpression";
    const scope = isFunction || name === "ClassDefinition";
    if (scope) this.scopes.push(new Map());
    if (isFunction) this.functionDepth++;
    this.frames.push({ name, from: cursor.from, to: cursor.to, children: [], scope, function: isFunction });
  }

  private close(): void {
    const frame = this.frames.pop() as Frame;
    const child: Child = { name: frame.name, from: frame.from, to: frame.to, value: UNKNOWN };
    if (frame.scope) this.scopes.pop();
    if (frame.function) this.functionDepth--;
    const parent = this.frames.at(-1);
    this.evaluate(frame, child, parent);
    parent?.children.push(child);
  }

  private source(from: number, to: number, max = 200): string {
    return truncateText(this.text.slice(from, Math.min(to, from + max * 2)).replace(/\s+/g, " "), max);
  }

  // ------------------------------------------------------------------------------------------
  // Values

  private evaluate(frame: Frame, child: Child, parent: Frame | undefined): void {
    const children = frame.children;
    switch (frame.name) {
      case "VariableName":
        child.value = this.variable(frame, parent);
        return;
      case "String":
        child.value = this.stringLiteral(frame);
        return;
      case "Number":
        child.value = this.numberLiteral(frame);
        return;
      case "Boolean":
        child.value = { kind: "boolean", value: this.text.slice(frame.from, frame.to) === "True" };
        return;
      case "ContinuedString": {
        let value: Value = stringValue("", false);
        for (const part of children) value = concatenate(value, part.value);
        child.value = value.kind === "string" ? { ...value, folded: false } : UNKNOWN;
        return;
      }
      case "ParenthesizedExpression": {
        const inner = children.filter((item) => !PUNCTUATION.has(item.name));
        child.value = inner.length === 1 ? (inner[0] as Child).value : UNKNOWN;
        return;
      }
      case "TupleExpression":
      case "ArrayExpression":
      case "SetExpression": {
        const items = children.filter((item) => !PUNCTUATION.has(item.name)).map((item) => item.value);
        child.value = items.length <= MAX_SEQUENCE_ITEMS ? { kind: "sequence", items } : UNKNOWN;
        return;
      }
      case "UnaryExpression": {
        const operand = children[1]?.value;
        const operator = children[0] ? this.text.slice(children[0].from, children[0].to) : "";
        child.value =
          operator === "-" && operand?.kind === "number" ? { kind: "number", value: -operand.value } : UNKNOWN;
        return;
      }
      case "BinaryExpression":
        child.value = this.binary(children);
        return;
      case "MemberExpression":
        child.value = this.member(frame);
        return;
      case "ArgList":
        child.args = this.argumentList(children);
        return;
      case "CallExpression":
        child.value = this.call(frame);
        return;
      case "AssignStatement":
        this.assign(children);
        return;
      case "UpdateStatement":
        this.update(children);
        return;
      case "NamedExpression":
        if (children[0]?.name === "VariableName" && children[2]) {
          this.bind(this.text.slice(children[0].from, children[0].to), children[2].value);
          child.value = children[2].value;
        }
        return;
      case "ImportStatement":
        this.importStatement(frame);
        return;
      case "ParamList":
        this.parameters(children);
        return;
      case "FunctionDefinition":
      case "ClassDefinition": {
        const nameNode = children.find((item) => item.name === "VariableName");
        if (nameNode) this.bind(this.text.slice(nameNode.from, nameNode.to), LOCAL);
        return;
      }
      case "in":
        this.bindLoopTargets(parent);
        return;
      default:
        return;
    }
  }

  private variable(frame: Frame, parent: Frame | undefined): Value {
    const name = this.text.slice(frame.from, Math.min(frame.to, frame.from + 256));
    const previous = parent?.children.at(-1);
    // `with ... as f`, `except E as error`: a target, bound to something not tracked.
    if (previous?.name === "as" && parent?.name !== "ImportStatement") {
      this.bind(name, LOCAL);
      return LOCAL;
    }
    return this.lookup(name);
  }

  private lookup(name: string): Value {
    for (let index = this.scopes.length - 1; index >= 0; index--) {
      const value = this.scopes[index]?.get(name);
      if (value) return value;
    }
    const hoisted = this.hoisted.get(name);
    if (hoisted) return hoisted;
    if (name === "__builtins__" || name === "__builtin__") return ref("builtins");
    if (BUILTINS.has(name)) return ref(`builtins.${name}`);
    for (const module of this.starModules) {
      const candidate = canonicalName(`${module}.${name}`);
      if (classifyCall(candidate, this.language)) return ref(candidate);
    }
    // TorchScript code files use `ops.<ns>.<op>` for `torch.ops`; plain Python has no such global.
    if (name === "ops") return ref("torch.ops", false, true);
    return ref(name, false, true);
  }

  private bind(name: string, value: Value): void {
    (this.scopes.at(-1) as Map<string, Value>).set(name, value);
  }

  private stringLiteral(frame: Frame): Value {
    if (frame.to - frame.from > 64 * 1024) return UNKNOWN;
    const decoded = decodePythonString(this.text.slice(frame.from, frame.to));
    return decoded === null ? UNKNOWN : stringValue(decoded, false);
  }

  private numberLiteral(frame: Frame): Value {
    const written = this.text.slice(frame.from, Math.min(frame.to, frame.from + 64)).replace(/_/g, "");
    const value = /^0[xob]/i.test(written) ? Number(written) : Number.parseFloat(written);
    return Number.isFinite(value) ? { kind: "number", value } : UNKNOWN;
  }

  private binary(children: Child[]): Value {
    const [left, operator, right] = children;
    if (!left || !operator || !right) return UNKNOWN;
    const symbol = this.text.slice(operator.from, operator.to);
    if (symbol === "+") return concatenate(left.value, right.value);
    if (symbol === "*") return repeat(left.value, right.value);
    if (symbol === "%") return percentFormat(left.value, right.value);
    if (symbol === "/" && left.value.kind === "ref" && left.value.name === "pathlib.Path()") {
      const extra = asString(right.value) ?? "*";
      return ref("pathlib.Path()", left.value.obfuscated, false, `${left.value.hint ?? ""}/${extra}`);
    }
    return UNKNOWN;
  }

  private member(frame: Frame): Value {
    const [object, separator, ...rest] = frame.children;
    if (!object || !separator) return UNKNOWN;
    const written = this.text.slice(frame.from, Math.min(frame.to, frame.from + 256));
    const bound = this.memberBindings.get(written);
    if (bound) return bound;
    if (separator.name === ".") {
      const property = rest[0] ? this.text.slice(rest[0].from, Math.min(rest[0].to, rest[0].from + 128)) : "";
      const target = object.value;
      if (target.kind === "ref") {
        if (property === "__dict__") return target;
        return ref(`${target.name}.${property}`, target.obfuscated, target.free, target.hint);
      }
      if (target.kind === "string" || target.kind === "sequence")
        return { kind: "method", receiver: target, name: property };
      return UNKNOWN;
    }
    if (separator.name !== "[") return UNKNOWN;
    const inside = rest.filter((item) => item.name !== "]");
    const colons = inside.filter((item) => item.name === ":").length;
    if (colons > 0) {
      const afterSecond = inside.findIndex(
        (item, index) => item.name === ":" && inside.slice(0, index).some((other) => other.name === ":"),
      );
      const step = afterSecond >= 0 ? inside[afterSecond + 1]?.value : undefined;
      return subscript(object.value, UNKNOWN, { step: step?.kind === "number" ? step.value : 1 });
    }
    const index = inside.length === 1 ? (inside[0] as Child).value : UNKNOWN;
    const key = asString(index);
    if (object.value.kind === "ref" && key !== undefined && /^[\w.]+$/.test(key)) {
      return ref(canonicalName(`${object.value.name}.${key}`), true, object.value.free);
    }
    return subscript(object.value, index, undefined);
  }

  private argumentList(children: Child[]): Arguments {
    const args: Arguments = { positional: [], keywords: new Map() };
    for (let index = 0; index < children.length; index++) {
      const item = children[index] as Child;
      if (PUNCTUATION.has(item.name)) continue;
      if (item.name === "*" || item.name === "**") {
        index++;
        args.positional.push(UNKNOWN);
        continue;
      }
      if (item.name === "VariableName" && children[index + 1]?.name === "AssignOp") {
        const value = children[index + 2];
        args.keywords.set(this.text.slice(item.from, Math.min(item.to, item.from + 128)), value?.value ?? UNKNOWN);
        if (value) this.judgeReference(value);
        index += 2;
        continue;
      }
      args.positional.push(item.value);
      this.judgeReference(item);
    }
    return args;
  }

  private assign(children: Child[]): void {
    const groups: Child[][] = [[]];
    for (const item of children) {
      if (item.name === "AssignOp") groups.push([]);
      else if (item.name !== "TypeDef") (groups.at(-1) as Child[]).push(item);
    }
    if (groups.length < 2) return;
    const valueGroup = (groups.pop() as Child[]).filter((item) => item.name !== ",");
    const value: Value =
      valueGroup.length === 1
        ? (valueGroup[0] as Child).value
        : { kind: "sequence", items: valueGroup.map((item) => item.value) };
    for (const group of groups) {
      const targets = group.filter((item) => item.name !== ",");
      const unpacked = targets.length === 1 && targets[0]?.name === "TupleExpression" ? undefined : targets;
      if (!unpacked) continue;
      unpacked.forEach((target, index) => {
        const targetValue =
          unpacked.length === 1
            ? value
            : value.kind === "sequence" && value.items.length === unpacked.length
              ? (value.items[index] as Value)
              : UNKNOWN;
        this.assignTarget(target, targetValue);
      });
    }
  }

  private assignTarget(target: Child, value: Value): void {
    const written = this.text.slice(target.from, Math.min(target.to, target.from + 256));
    if (target.name === "VariableName") this.bind(written, value.kind === "unknown" ? LOCAL : value);
    else if (target.name === "MemberExpression" && /^[\w.]+$/.test(written)) this.memberBindings.set(written, value);
  }

  private update(children: Child[]): void {
    const [target, operator, value] = children;
    if (target?.name !== "VariableName" || !operator || !value) return;
    const name = this.text.slice(target.from, target.to);
    const symbol = this.text.slice(operator.from, operator.to);
    this.bind(name, symbol === "+=" ? concatenate(target.value, value.value) : LOCAL);
  }

  private parameters(children: Child[]): void {
    children.forEach((item, index) => {
      if (item.name === "VariableName" && children[index - 1]?.name !== "AssignOp") {
        this.bind(this.text.slice(item.from, item.to), LOCAL);
      }
    });
  }

  private bindLoopTargets(parent: Frame | undefined): void {
    if (!parent) return;
    const start = parent.children.map((item) => item.name).lastIndexOf("for");
    for (const item of parent.children.slice(start + 1)) {
      if (item.name === "VariableName") this.bind(this.text.slice(item.from, item.to), LOCAL);
    }
  }

  private importStatement(frame: Frame): void {
    const tokens = frame.children.map((item) => ({
      name: item.name,
      text: this.text.slice(item.from, Math.min(item.to, item.from + 256)),
    }));
    for (const binding of parseImport(tokens)) {
      if (binding.star) {
        if (binding.module) this.starModules.push(binding.module);
      } else if (binding.local) {
        this.bind(binding.local, binding.target ? ref(binding.target) : LOCAL);
      }
      if (binding.module) {
        const recorded: RecordedImport = { module: binding.module, from: frame.from, via: "import" };
        if (binding.member) recorded.member = binding.member;
        this.imports.push(recorded);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(frame: Frame): Value {
    const [callee, argumentList] = frame.children;
    if (!callee) return UNKNOWN;
    const args = argumentList?.args ?? { positional: [], keywords: new Map() };
    const target = callee.value;
    if (target.kind === "method") return this.methodCall(target.receiver, target.name, args);
    if (target.kind !== "ref") return UNKNOWN;
    const name = canonicalName(target.name);
    const result = this.callResult(name, target, args, frame);
    const category = classifyCall(name, this.language);
    if (category) this.judgeCall(category, name, target, args, frame, callee);
    if (this.language === "torchscript") this.judgeOperator(name, frame, callee);
    return result;
  }

  /**
   * TorchScript resolves `torch.ops.<ns>.<op>` (and the builtin spelling `torch.<op>`, i.e. aten) in the
   * operator registry when the module loads: a name no standard build registers exists only once a
   * native library loaded beside the model registers it, and `aten::system` is nobody's ATen operator.
   */
  private judgeOperator(name: string, frame: Frame, callee: Child): void {
    const call = operatorCall(name, true);
    if (!call) return;
    const status = operatorStatus(call.namespace, call.operator);
    if (status === "operator" || status === "unchecked") return;
    // The printer writes ATen operators as `torch.<op>`, so an unknown one there may be an operator added
    // after the registry's torch: a warning. `torch.ops.aten.<op>` is never printed, only written by hand.
    const builtin = call.builtin && status === "unknown-operator";
    this.add({
      rule: "unknown-operator",
      messageId: builtin ? "unknownBuiltin" : status === "unknown-operator" ? "unknownOperator" : "unknownNamespace",
      severity: builtin ? "warning" : "critical",
      from: frame.from,
      evidence: this.source(frame.from, frame.to),
      data: {
        call: name,
        namespace: call.namespace,
        operator: call.operator,
        written: this.source(callee.from, callee.to, 80),
        torchVersion: TORCH_OPERATORS_VERSION,
      },
    });
  }

  private methodCall(receiver: Value, method: string, args: Arguments): Value {
    const [first, second] = args.positional;
    if (receiver.kind === "string") {
      switch (method) {
        case "join":
          return first ? join(receiver, first) : UNKNOWN;
        case "format":
          return braceFormat(receiver, args.positional);
        case "decode":
        case "encode":
          return /rot.?13|base64|hex/.test(asString(first) ?? "")
            ? decode(asString(first) as string, receiver)
            : receiver;
        case "lower":
          return stringValue(receiver.value.toLowerCase(), true, receiver.decoded);
        case "upper":
          return stringValue(receiver.value.toUpperCase(), true, receiver.decoded);
        case "strip":
          return stringValue(receiver.value.trim(), true, receiver.decoded);
        case "replace": {
          const from = asString(first);
          const to = asString(second);
          return from !== undefined && to !== undefined && from !== ""
            ? stringValue(receiver.value.split(from).join(to), true, receiver.decoded)
            : UNKNOWN;
        }
        default:
          return UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  /** What a call returns, for the names the analysis folds; `name()` for everything else. */
  private callResult(name: string, target: Extract<Value, { kind: "ref" }>, args: Arguments, frame: Frame): Value {
    const [first, second] = args.positional;
    if (name === "builtins.__import__" || name === "importlib.import_module" || name === "importlib.__import__") {
      const module = asString(first);
      if (module === undefined || !/^[\w.]+$/.test(module)) return UNKNOWN;
      this.imports.push({ module, from: frame.from, via: name });
      const bound =
        name === "importlib.import_module" || args.positional.length > 3 ? module : (module.split(".")[0] as string);
      return ref(bound, target.obfuscated || isBuilt(first) || name !== "importlib.import_module");
    }
    if (name === "builtins.getattr") {
      const attribute = asString(second);
      if (first?.kind === "ref" && attribute !== undefined && /^[\w]+$/.test(attribute)) {
        return ref(canonicalName(`${first.name}.${attribute}`), true, first.free, first.hint);
      }
      if (first?.kind === "ref" && attribute === undefined && this.isSensitiveModule(first.name)) {
        this.add({
          rule: "dangerous-call",
          messageId: "dynamicAttribute",
          severity: "warning",
          data: { target: first.name },
          from: frame.from,
          evidence: this.source(frame.from, frame.to),
        });
      }
      return UNKNOWN;
    }
    if (name === "builtins.chr")
      return first?.kind === "number" ? stringValue(String.fromCodePoint(clampCode(first.value)), true) : UNKNOWN;
    if (name === "builtins.str" || name === "builtins.bytes" || name === "builtins.bytearray") {
      return first?.kind === "string" ? first : UNKNOWN;
    }
    if (name === "builtins.globals" || name === "builtins.vars" || name === "builtins.locals") {
      return args.positional.length === 0 ? ref("builtins", true) : UNKNOWN;
    }
    if (DECODERS.test(name)) {
      const decoder = name === "codecs.decode" ? (asString(second) ?? name) : name;
      return decode(decoder, first ?? UNKNOWN);
    }
    if (PATH_FUNCTIONS.has(name)) {
      const parts = args.positional.map((item) => asString(item));
      return parts.every((part) => part !== undefined) && parts.length > 0
        ? stringValue(parts.join("/"), true)
        : UNKNOWN;
    }
    if (
      name === "pathlib.Path" ||
      name === "pathlib.PosixPath" ||
      name === "pathlib.Path.home" ||
      name === "pathlib.Path.cwd"
    ) {
      const hint = name.endsWith("home") ? "~" : args.positional.map((item) => asString(item) ?? "*").join("/");
      return ref("pathlib.Path()", target.obfuscated, false, hint);
    }
    if (name.startsWith("pathlib.Path().") && PATH_METHODS.has(name.slice("pathlib.Path().".length))) {
      const extra = args.positional.map((item) => asString(item) ?? "*").join("/");
      return ref("pathlib.Path()", target.obfuscated, false, `${target.hint ?? ""}${extra ? `/${extra}` : ""}`);
    }
    return ref(`${name}()`, target.obfuscated, target.free);
  }

  private isSensitiveModule(name: string): boolean {
    const canonical = canonicalName(name);
    return canonical === "builtins" || canonical === "os" || importConcern(canonical) === "warning";
  }

  private judgeCall(
    category: CallCategory,
    name: string,
    target: Extract<Value, { kind: "ref" }>,
    args: Arguments,
    frame: Frame,
    callee: Child,
  ): void {
    const [first] = args.positional;
    const importTime = this.functionDepth === 0;
    const base = {
      from: frame.from,
      evidence: this.source(frame.from, frame.to),
      data: {
        call: name,
        written: this.source(callee.from, callee.to, 80),
        via: target.obfuscated ? " (reached through computed names: getattr, __import__ or string folding)" : "",
        when: importTime
          ? "runs when the module is imported or the model is loaded"
          : "runs when the enclosing function is called",
      },
    };
    const note = (module: string) => this.calledModules.add(canonicalName(module).split(".")[0] as string);
    switch (category) {
      case "process":
      case "dynamic-code":
      case "native-interface":
      case "code-deserialization":
      case "python-operator": {
        note(name);
        const decoded =
          category === "dynamic-code" && (first?.kind === "decoded" || (first?.kind === "string" && first.decoded));
        const messageId = decoded
          ? "decodedCode"
          : (
              {
                process: "processCall",
                "dynamic-code": "dynamicCode",
                "native-interface": "nativeInterface",
                "code-deserialization": "codeDeserialization",
                "python-operator": "pythonOperator",
              } as const
            )[category];
        const data: Record<string, string> = { ...base.data };
        if (decoded) {
          data.decoder =
            first?.kind === "decoded"
              ? first.decoder
              : `a decoder (the text decodes to "${truncateText(first?.kind === "string" ? first.value : "", 60)}")`;
        }
        this.add({ rule: "dangerous-call", messageId, severity: "critical", ...base, data });
        return;
      }
      case "native-library": {
        note(name);
        const library = asString(first) ?? "a library named at run time";
        this.add({
          rule: "native-library-load",
          messageId: "loadLibrary",
          severity: "critical",
          ...base,
          data: { ...base.data, library },
        });
        return;
      }
      case "dynamic-import": {
        const module = asString(first);
        if (module === undefined) {
          this.add({ rule: "dangerous-call", messageId: "dynamicImport", severity: "warning", ...base });
        } else if (name === "builtins.__import__" || isBuilt(first)) {
          this.add({
            rule: "dangerous-call",
            messageId: "hiddenImport",
            severity: "warning",
            ...base,
            data: { ...base.data, module },
          });
        }
        return;
      }
      case "file-open":
      case "file-write": {
        if (category === "file-open" && !this.opensForWriting(name, args)) return;
        note(name);
        const paths = [
          target.hint,
          ...args.positional.map((item) => (item.kind === "ref" ? item.hint : asString(item))),
        ].filter((item): item is string => item !== undefined);
        const sensitive = paths.find((path) => isSensitivePath(path));
        const severity: Severity = importTime || sensitive ? "critical" : "info";
        const place = sensitive
          ? `the target ${truncateText(sensitive, 80)} lies outside the model's files`
          : base.data.when;
        this.add({ rule: "dangerous-call", messageId: "fileWrite", severity, ...base, data: { ...base.data, place } });
        return;
      }
      case "network": {
        note(name);
        const destination = asString(first) ?? asString(args.keywords.get("url"));
        const verb = name.split(".").at(-1) ?? "";
        const critical =
          importTime ||
          name.startsWith("socket.") ||
          destination !== undefined ||
          SENDING_VERBS.has(verb.toLowerCase());
        const reason =
          destination !== undefined
            ? `it contacts ${truncateText(destination, 80)}`
            : importTime
              ? base.data.when
              : SENDING_VERBS.has(verb.toLowerCase())
                ? "it sends data out"
                : "the destination is computed at run time";
        this.add({
          rule: "dangerous-call",
          messageId: "networkCall",
          severity: critical ? "critical" : "warning",
          ...base,
          data: { ...base.data, reason },
        });
        return;
      }
      case "deserialization":
        note(name);
        this.add({
          rule: "dangerous-call",
          messageId: "unsafeDeserialization",
          severity: importTime ? "critical" : "warning",
          ...base,
        });
        return;
      case "unsafe-torch-load": {
        const weightsOnly = args.keywords.get("weights_only");
        if (weightsOnly?.kind === "boolean" && weightsOnly.value) return;
        this.add({ rule: "dangerous-call", messageId: "unsafeTorchLoad", severity: "warning", ...base });
        return;
      }
      case "jit-compile":
        this.add({ rule: "dangerous-call", messageId: "jitCompile", severity: "warning", ...base });
        return;
    }
  }

  private opensForWriting(name: string, args: Arguments): boolean {
    if (name === "os.open") {
      const flags = args.positional[1];
      const written = flags?.kind === "ref" ? flags.name : "";
      return /O_(WRONLY|RDWR|CREAT|APPEND|TRUNC)/.test(written) || flags === undefined || flags.kind === "unknown";
    }
    const mode =
      name === "pathlib.Path().open" ? args.positional[0] : (args.positional[1] ?? args.keywords.get("mode"));
    const text = asString(mode ?? args.keywords.get("mode"));
    return text !== undefined && /[wax+]/.test(text);
  }

  /** A dangerous callable handed over as a value (`atexit.register(os.system, ...)`, `map(eval, ...)`). */
  private judgeReference(item: Child): void {
    if (item.value.kind !== "ref" || (item.name !== "MemberExpression" && item.name !== "VariableName")) return;
    const name = canonicalName(item.value.name);
    const category = classifyCall(name, this.language);
    if (category !== "process" && category !== "dynamic-code" && category !== "native-library") return;
    this.calledModules.add(name.split(".")[0] as string);
    this.add({
      rule: category === "native-library" ? "native-library-load" : "dangerous-call",
      messageId: "functionReference",
      severity: "critical",
      from: item.from,
      evidence: this.source(item.from, item.to),
      data: { call: name, written: this.source(item.from, item.to, 80) },
    });
  }

  // ------------------------------------------------------------------------------------------
  // Imports without calls

  private reportImports(): void {
    const reported = new Set<string>();
    for (const recorded of this.imports) {
      const canonical = canonicalName(`${recorded.module}.x`).slice(0, -2);
      const top = canonical.split(".")[0] as string;
      const memberCategory = recorded.member
        ? classifyCall(canonicalName(`${recorded.module}.${recorded.member}`), this.language)
        : undefined;
      const severity: Severity | undefined =
        memberCategory === "process" || memberCategory === "dynamic-code" || memberCategory === "native-library"
          ? "warning"
          : importConcern(recorded.module);
      if (!severity || this.calledModules.has(top)) continue;
      const module = recorded.member ? `${recorded.module}.${recorded.member}` : recorded.module;
      if (reported.has(module)) continue;
      reported.add(module);
      this.add({
        rule: "dangerous-import",
        messageId: severity === "warning" ? "riskyImport" : "capabilityImport",
        severity,
        from: recorded.from,
        evidence: truncateText(
          (this.text.slice(recorded.from, recorded.from + 240).split("\n")[0] as string).trim(),
          120,
        ),
        data: { module, via: recorded.via === "import" ? "an import statement" : recorded.via },
      });
    }
  }

  private add(input: {
    rule: CodeIssue["rule"];
    messageId: string;
    severity: Severity;
    from: number;
    evidence: string;
    data: Record<string, string>;
  }): void {
    if (this.issues.length >= this.options.maxIssues) return;
    const position = this.lines.position(input.from);
    this.issues.push({
      rule: input.rule,
      messageId: input.messageId,
      severity: input.severity,
      data: { ...input.data, position: describePosition(position) },
      position,
      evidence: input.evidence,
    });
  }
}

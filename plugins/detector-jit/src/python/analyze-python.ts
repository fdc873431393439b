import type { Severity } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { type AnalysisOptions, type CodeIssue, DEFAULT_ANALYSIS_OPTIONS } from "../code-issue.js";
import { describePosition, LineIndex } from "../line-index.js";
import { operatorCall, operatorStatus, TORCH_OPERATORS_VERSION } from "../torchscript/operator-registry.js";
import {
  type CallCategory,
  COMPUTED,
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
/** Attributes that only reach interpreter internals: another function's globals, every loaded class. */
const INTERNALS = new Set(["__subclasses__", "__globals__", "func_globals"]);
/** Attributes holding a module's global names or builtins: looked up in, they lead to modules and builtins. */
const GLOBALS = new Set(["__builtins__", "__globals__", "func_globals", "f_globals", "f_builtins"]);
/** Written steps of the class-hierarchy walk from a built-in object up to `object`. */
const HIERARCHY_WALK = /\.(__class__|__base__|__bases__|__mro__)\b|^\s*(object|builtins\.object)\s*\./;
/** Environment variables that make later processes (or the interpreter) load code the model names. */
const LOADER_VARIABLES =
  /^(LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_INSERT_LIBRARIES|DYLD_LIBRARY_PATH|PYTHONPATH|PYTHONSTARTUP|PYTHONHOME|PYTHONINSPECT|BROWSER|PERL5OPT|NODE_OPTIONS|BASH_ENV)$/;
/** Module members that run commands or code, looked up by a name string (`methodcaller("system")`). */
const EXECUTING_MEMBERS = ["os", "pty", "builtins"];
/** Names under a judged prefix that are constants, exception classes or result types, not callables that run anything. */
const NOT_A_RUNNER = /\.([A-Z][A-Z0-9_]*|\w*(Error|Exception|Expired)|CompletedProcess)$/;
/** Callees that look at an attribute by name without using it (`hasattr(os, "fork")`). */
const NAME_INSPECTORS = /(^|\.)(hasattr|getattr|setattr|delattr)$/;
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
    if (parent && this.isValueUse(frame, parent)) this.judgeReference(child);
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
      case "ConditionalExpression":
        child.value = this.conditional(children);
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

  /**
   * True when the expression closing now is used as a value, not called, not the object of a longer
   * attribute chain, not a target or a parameter name and not an annotation: `t = {"a": os.system}`,
   * `return os.system`, `run = os.system` in a class, a default argument. Arguments are judged by argumentList.
   */
  private isValueUse(frame: Frame, parent: Frame): boolean {
    if (frame.name !== "VariableName" && frame.name !== "MemberExpression" && frame.name !== "CallExpression") {
      return false;
    }
    if (this.frames.some((item) => item.name === "TypeDef")) return false;
    const first = parent.children.length === 0;
    switch (parent.name) {
      case "CallExpression":
      case "MemberExpression":
        return !first;
      case "ArgList":
      case "ImportStatement":
      case "ScopeStatement":
      case "DeleteStatement":
      case "FunctionDefinition":
      case "ClassDefinition":
      case "Decorator":
      case "TypeDef":
      case "ForStatement":
        return false;
      case "AssignStatement":
      case "UpdateStatement":
        return parent.children.some((item) => item.name === "AssignOp");
      case "ParamList":
        return parent.children.at(-1)?.name === "AssignOp";
      default:
        return true;
    }
  }

  /** `a if c else b`: the value both branches share, or the one that reaches a dangerous name. */
  private conditional(children: Child[]): Value {
    const values = children.filter((item) => item.name !== "if" && item.name !== "else").map((item) => item.value);
    const [whenTrue, , whenFalse] = values;
    if (!whenTrue || !whenFalse) return UNKNOWN;
    if (whenTrue.kind === "ref" && whenFalse.kind === "ref") {
      if (canonicalName(whenTrue.name) === canonicalName(whenFalse.name)) return whenTrue;
    }
    for (const value of [whenTrue, whenFalse]) {
      if (value.kind !== "ref") continue;
      const name = canonicalName(value.name);
      const category = classifyCall(name, this.language);
      if (category === "process" || category === "dynamic-code" || this.isSensitiveModule(name)) {
        return { ...value, obfuscated: true };
      }
    }
    return UNKNOWN;
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
      if (INTERNALS.has(property)) this.judgeInternals(property, frame, object);
      // Any object's `__builtins__` and any function's `__globals__` lead back to the builtins and a module's names.
      if (GLOBALS.has(property)) {
        return ref("builtins", true, target.kind === "ref" && target.free);
      }
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
    if (object.value.kind === "ref") {
      const container = canonicalName(object.value.name);
      if (key !== undefined && /^[\w.]+$/.test(key)) {
        if (isBuilt(index)) this.judgeComputedLookup(container, key, frame);
        return ref(canonicalName(`${object.value.name}.${key}`), true, object.value.free);
      }
      if (key === undefined && index.kind !== "number") return this.computedLookup(container, object, frame);
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
    if (target.value.kind === "ref") this.judgeEnvironment(canonicalName(target.value.name), target.from, written);
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
    if (target.kind !== "ref") {
      this.judgeLoaderMethod(callee, frame);
      const written = this.source(callee.from, callee.to, 80);
      this.judgeModuleWithName({ kind: "ref", name: written, obfuscated: true, free: true }, args, frame, callee);
      return UNKNOWN;
    }
    // `sys.modules.get("os")`, `typing.sys.modules.setdefault(name)`: a module looked up by name.
    const lookup = /(?:^|\.)sys\.modules\.(get|setdefault|pop)$/.exec(target.name);
    if (lookup) {
      const key = asString(args.positional[0]);
      if (key !== undefined && /^[\w.]+$/.test(key)) {
        if (isBuilt(args.positional[0])) this.judgeComputedLookup("sys.modules", key, frame);
        return ref(canonicalName(`sys.modules.${key}`), true, target.free);
      }
      return ref(COMPUTED, true);
    }
    const applied = this.applyNameCaller(target, args);
    if (applied) {
      const category = applied.call ? classifyCall(applied.call.name, this.language) : undefined;
      if (applied.call && category) this.judgeCall(category, applied.call.name, applied.call, args, frame, callee);
      return applied.result;
    }
    const name = canonicalName(target.name);
    const result = this.callResult(name, target, args, frame);
    const category = classifyCall(name, this.language);
    if (category) this.judgeCall(category, name, target, args, frame, callee);
    else if (!NAME_INSPECTORS.test(name)) this.judgeModuleWithName(target, args, frame, callee);
    this.judgeEnvironmentCall(name, args, frame);
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
      if (module === undefined || !/^[\w.]+$/.test(module)) return ref(COMPUTED, true);
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
        const computed = ref(`${canonicalName(first.name)}.${COMPUTED}`, true, first.free);
        this.add({
          rule: "dangerous-call",
          messageId: "dynamicAttribute",
          severity: "warning",
          data: { target: first.name },
          from: frame.from,
          evidence: this.source(frame.from, frame.to),
        });
        return computed;
      }
      return UNKNOWN;
    }
    if ((name === "operator.methodcaller" || name === "operator.attrgetter") && asString(first) !== undefined) {
      const attribute = asString(first) as string;
      if (this.executingMember(attribute)) {
        this.dynamicFinding(
          frame,
          "warning",
          `${name}("${truncateText(attribute, 40)}")`,
          `looks up a member named ${truncateText(attribute, 40)} by name, the name of a call that runs commands or code`,
        );
      }
      return ref(`${name}()`, target.obfuscated, false, attribute);
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

  /** A member name that runs commands or code in one of the modules attackers reach by name (`system`, `popen`, `eval`). */
  private executingMember(attribute: string): string | undefined {
    if (!/^\w+$/.test(attribute) || /^(kill|killpg|fork|run|call|compile)$/.test(attribute)) return undefined;
    for (const module of EXECUTING_MEMBERS) {
      const category = classifyCall(`${module}.${attribute}`, this.language);
      if (category === "process" || category === "dynamic-code") return `${module}.${attribute}`;
    }
    return undefined;
  }

  /**
   * `operator.methodcaller("system", cmd)(os)` calls `os.system(cmd)`; `operator.attrgetter("system")(os)`
   * returns `os.system`. The judged call is the member of the module the caller is applied to.
   */
  private applyNameCaller(
    target: Extract<Value, { kind: "ref" }>,
    args: Arguments,
  ): { call?: Extract<Value, { kind: "ref" }>; result: Value } | undefined {
    const caller = canonicalName(target.name);
    if ((caller !== "operator.methodcaller()" && caller !== "operator.attrgetter()") || target.hint === undefined) {
      return undefined;
    }
    const [first] = args.positional;
    if (first?.kind !== "ref") return undefined;
    const member = canonicalName(`${first.name}.${target.hint}`);
    const resolved = { kind: "ref" as const, name: member, obfuscated: true, free: first.free };
    if (caller === "operator.attrgetter()") return { result: resolved };
    return { call: resolved, result: ref(`${member}()`, true) };
  }

  /**
   * A call handed a module that runs commands together with the name of such a member
   * (`g(os, "system")`, `call_by_name(builtins, "ev" + "al")`): whatever it does with them, the pair names the call.
   */
  private judgeModuleWithName(
    target: Extract<Value, { kind: "ref" }>,
    args: Arguments,
    frame: Frame,
    callee: Child,
  ): void {
    const modules = args.positional.filter(
      (item): item is Extract<Value, { kind: "ref" }> => item.kind === "ref" && this.isSensitiveModule(item.name),
    );
    if (modules.length === 0) return;
    for (const item of [...args.positional, ...args.keywords.values()]) {
      const attribute = asString(item);
      if (attribute === undefined || !/^\w+$/.test(attribute)) continue;
      for (const module of modules) {
        const member = canonicalName(`${module.name}.${attribute}`);
        const category = classifyCall(member, this.language);
        if (category !== "process" && category !== "dynamic-code" && category !== "native-library") continue;
        this.judgeCall(
          category,
          member,
          { ...target, obfuscated: true },
          { positional: [], keywords: new Map() },
          frame,
          callee,
        );
        return;
      }
    }
  }

  /** `spec.loader.exec_module(module)` on a loader the analysis did not track: it runs the module's code. */
  private judgeLoaderMethod(callee: Child, frame: Frame): void {
    if (callee.name !== "MemberExpression") return;
    const written = this.text.slice(callee.from, Math.min(callee.to, callee.from + 256));
    if (!/\.exec_module\s*$/.test(written)) return;
    this.judgeCall(
      "dynamic-code",
      "<loader>.exec_module",
      { kind: "ref", name: "<loader>.exec_module", obfuscated: false, free: true },
      { positional: [], keywords: new Map() },
      frame,
      callee,
    );
  }

  /** A `dangerous-call` finding for code that reaches names the analysis cannot see (judged by how it gets there). */
  private dynamicFinding(frame: Frame, severity: "critical" | "warning" | "info", names: string, reason: string): void {
    this.add({
      rule: "dangerous-call",
      messageId: "bytecodeNames",
      severity,
      from: frame.from,
      evidence: this.source(frame.from, frame.to),
      data: { names, reason, language: "python" },
    });
  }

  /** `__subclasses__` and `__globals__`: reaching interpreter internals no model code needs. */
  private judgeInternals(property: string, frame: Frame, object: Child): void {
    const written = this.text.slice(object.from, Math.min(object.to, object.from + 512));
    const walk = property === "__subclasses__" && HIERARCHY_WALK.test(written);
    // `Base.__subclasses__()` is a plugin-registry idiom; the walk up from a built-in object is not.
    this.dynamicFinding(
      frame,
      walk ? "critical" : property === "__subclasses__" ? "info" : "warning",
      property,
      walk
        ? "walks the class hierarchy from a built-in object to every loaded class, the usual route to os or builtins without naming them"
        : property === "__subclasses__"
          ? "lists every subclass loaded in the interpreter, a route to classes the code does not import"
          : "reads another function's module globals, a route to builtins and modules the code does not import",
    );
  }

  /** `sys.modules["o" + "s"]`, `__builtins__["ev" + "al"]`: a module or builtin looked up by a name built at run time. */
  private judgeComputedLookup(container: string, key: string, frame: Frame): void {
    if (container !== "builtins" && container !== "sys.modules") return;
    this.dynamicFinding(
      frame,
      "warning",
      `${container}["${truncateText(key, 40)}"]`,
      `looks up ${container === "builtins" ? "a builtin" : "a loaded module"} by a name built at run time`,
    );
  }

  /**
   * A subscript whose key is not a constant: on `sys.modules` a module chosen at run time (no finding by
   * itself: `sys.modules[__name__]` is everyday code); on builtins or a module that runs commands, a member
   * chosen at run time (a warning; calling it is critical).
   */
  private computedLookup(container: string, object: Child, frame: Frame): Value {
    if (container === "sys.modules") return ref(COMPUTED, true);
    // A module's own namespace (`globals()[name]`, `frame.f_globals[name]`) is everyday registry code;
    // the builtins namespace written as such (`__builtins__[n]`, `builtins.__dict__[n]`) and os are not.
    const written = this.text.slice(object.from, Math.min(object.to, object.from + 256));
    const named = /(^|\.)(__builtins__|__builtin__|builtins|os|posix|nt)(\.__dict__)?\s*$/.test(written);
    if ((container !== "builtins" && container !== "os") || !named) return UNKNOWN;
    this.dynamicFinding(
      frame,
      "warning",
      this.source(frame.from, frame.to, 80),
      `looks up a member of ${container} by a name computed at run time`,
    );
    return ref(`${container}.${COMPUTED}`, true, object.value.kind === "ref" && object.value.free);
  }

  /** `os.environ["LD_PRELOAD"] = ...`: later processes (or the interpreter) load code the model names. */
  private judgeEnvironment(name: string, from: number, written: string): void {
    const match = /^os\.environ\.(\w+)$/.exec(name);
    if (!match || !LOADER_VARIABLES.test(match[1] as string)) return;
    this.add({
      rule: "dangerous-call",
      messageId: "bytecodeNames",
      severity: "warning",
      from,
      evidence: truncateText(written, 120),
      data: {
        names: `os.environ["${match[1]}"]`,
        reason: `sets ${match[1]}, so processes started afterwards load the libraries or code it names`,
        language: "python",
      },
    });
  }

  private judgeEnvironmentCall(name: string, args: Arguments, frame: Frame): void {
    const written = this.source(frame.from, frame.to, 120);
    if (name === "os.putenv" || name === "os.environ.setdefault") {
      const variable = asString(args.positional[0]);
      if (variable !== undefined) this.judgeEnvironment(`os.environ.${variable}`, frame.from, written);
    } else if (name === "os.environ.update") {
      // Keywords, or the keys of a dict written in the call (`update({"LD_PRELOAD": path})`).
      const keys = [...args.keywords.keys()];
      for (const match of this.text
        .slice(frame.from, Math.min(frame.to, frame.from + 4096))
        .matchAll(/["'](\w+)["']\s*:/g)) {
        keys.push(match[1] as string);
      }
      for (const key of keys) this.judgeEnvironment(`os.environ.${key}`, frame.from, written);
    }
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
    if (item.value.kind !== "ref") return;
    if (item.name !== "MemberExpression" && item.name !== "VariableName" && item.name !== "CallExpression") return;
    const name = canonicalName(item.value.name);
    const category = classifyCall(name, this.language);
    if (category !== "process" && category !== "dynamic-code" && category !== "native-library") return;
    if (NOT_A_RUNNER.test(name) || name.includes(COMPUTED)) return;
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

import { braceFormat, type Constant, percentFormat } from "./python-format.js";
import {
  filterParts,
  identifierName,
  type JinjaNode,
  nodeField,
  nodeList,
  objectEntries,
  operatorOf,
  stringField,
} from "./template-ast.js";
import type { Binding, TemplateBindings } from "./template-bindings.js";

/** Possible values of an expression, and how they were built. */
export interface Folded {
  values: Constant[];
  /** String-building operations behind the value (0 for a literal written out). */
  operations: number;
  /** How the value was built, for messages (`concatenation`, `character codes`...). */
  techniques: Set<string>;
}

const MAX_CANDIDATES = 64;
const MAX_STRING_LENGTH = 10_000;
const MAX_FOLD_DEPTH = 200;
const MAX_FOLD_STEPS = 2_000_000;

/** Filters that build strings; a lookup key using one of them is string construction. */
const BUILDING_FILTERS = new Set([
  "join",
  "format",
  "reverse",
  "replace",
  "string",
  "list",
  "first",
  "last",
  "lower",
  "upper",
  "default",
  "d",
]);
const BUILDING_METHODS = new Set([
  "join",
  "format",
  "replace",
  "upper",
  "lower",
  "strip",
  "lstrip",
  "rstrip",
  "split",
  "removeprefix",
  "removesuffix",
]);

/**
 * Folds template expressions to the constants they evaluate to, statically: literals, `~`/`+`/`*`/`%`,
 * the string filters and methods payloads use, slicing, and names the template assigns. Never renders.
 * Bounded in candidates, string length, depth and total steps; unknown gives undefined.
 */
export class ConstantFolder {
  private steps = 0;
  private readonly resolving = new Set<string>();
  private readonly memo = new Map<string, Folded | undefined>();
  private readonly nodeMemo = new WeakMap<JinjaNode, Folded | undefined>();
  private readonly building = new Map<string, boolean>();

  constructor(private readonly bindings: TemplateBindings) {}

  /** True once the step budget ran out: later folds gave up, so the analysis is incomplete. */
  get exhausted(): boolean {
    return this.steps > MAX_FOLD_STEPS;
  }

  fold(node: JinjaNode | undefined): Folded | undefined {
    return this.foldAt(node, 0);
  }

  /** True when the expression builds a string at render time (concatenation, format, join...). */
  isBuilding(node: JinjaNode | undefined, depth = 0): boolean {
    if (!node || depth > 64) return false;
    const nested = (child: JinjaNode | undefined) => this.isBuilding(child, depth + 1);
    switch (node.type) {
      case "BinaryExpression": {
        const operator = operatorOf(node);
        if (operator === "~") return true;
        // `+`, `*` and `%` build strings only with a string in play (`loop.index0 % 2` is arithmetic).
        if (operator === "+" || operator === "*" || operator === "%") {
          const left = nodeField(node, "left");
          const right = nodeField(node, "right");
          return left?.type === "StringLiteral" || right?.type === "StringLiteral" || nested(left) || nested(right);
        }
        return false;
      }
      case "FilterExpression": {
        const filter = filterParts(nodeField(node, "filter"));
        return (filter !== undefined && BUILDING_FILTERS.has(filter.name)) || nested(nodeField(node, "operand"));
      }
      case "CallExpression": {
        const callee = nodeField(node, "callee");
        if (callee?.type === "MemberExpression" && callee.computed !== true) {
          const method = identifierName(nodeField(callee, "property"));
          if (method !== undefined && BUILDING_METHODS.has(method)) return true;
        }
        // A macro or `caller()` whose body is put together from pieces.
        const calleeName = identifierName(callee);
        return calleeName !== undefined && this.nameBuilds(`${calleeName}()`);
      }
      case "Ternary":
        return nested(nodeField(node, "trueExpr")) || nested(nodeField(node, "falseExpr"));
      case "Identifier": {
        // A name the template bound to a built string (`{% set k = a ~ b %}`, a macro argument) builds it too.
        const name = identifierName(node);
        return name !== undefined && this.nameBuilds(name);
      }
      case "MemberExpression": {
        const path = this.bindingPath(node, depth);
        return path?.includes(".") === true && this.nameBuilds(path);
      }
      case "FilterStatement": {
        const filter = filterParts(nodeField(node, "filter"));
        return (filter !== undefined && BUILDING_FILTERS.has(filter.name)) || this.bodyBuilds(nodeList(node, "body"));
      }
      default:
        return false;
    }
  }

  /** True when some value bound to `name` builds a string; each name is judged once. */
  private nameBuilds(name: string): boolean {
    const known = this.building.get(name);
    if (known !== undefined) return known;
    this.building.set(name, false); // a cycle builds nothing new
    const builds = (this.bindings.values.get(name) ?? []).some((binding) =>
      binding.kind === "body" ? this.bodyBuilds(binding.nodes) : this.isBuilding(binding.node),
    );
    this.building.set(name, builds);
    return builds;
  }

  /** A body of two or more pieces concatenates them; one piece builds when it does. */
  private bodyBuilds(nodes: readonly JinjaNode[]): boolean {
    const pieces = nodes.filter((node) => node.type !== "Comment");
    return pieces.length > 1 || pieces.some((piece) => this.isBuilding(piece));
  }

  private foldAt(node: JinjaNode | undefined, depth: number): Folded | undefined {
    if (!node || depth > MAX_FOLD_DEPTH || ++this.steps > MAX_FOLD_STEPS) return undefined;
    // Each node folds once: the walk asks about nested pieces again, and memoising keeps it linear.
    if (this.nodeMemo.has(node)) return this.nodeMemo.get(node);
    const folded = this.foldNode(node, depth);
    if (this.resolving.size === 0) this.nodeMemo.set(node, folded);
    return folded;
  }

  private foldNode(node: JinjaNode, depth: number): Folded | undefined {
    const next = (child: JinjaNode | undefined) => this.foldAt(child, depth + 1);
    switch (node.type) {
      case "StringLiteral": {
        const value = stringField(node, "value");
        return value === undefined ? undefined : literal(value);
      }
      case "IntegerLiteral":
      case "FloatLiteral":
        return typeof node.value === "number" ? literal(node.value) : undefined;
      case "ArrayLiteral":
      case "TupleLiteral":
        return this.foldSequence(nodeList(node, "value"), depth);
      case "Identifier": {
        const name = identifierName(node);
        if (name === "true" || name === "True") return literal(true);
        if (name === "false" || name === "False") return literal(false);
        if (name === "none" || name === "None") return literal(null);
        return name === undefined ? undefined : this.foldName(name, depth);
      }
      case "BinaryExpression":
        return this.foldBinary(node, depth);
      case "FilterExpression":
        return this.foldFilter(node, depth);
      case "CallExpression":
        return this.foldCall(node, depth);
      case "MemberExpression":
        return this.foldMember(node, depth);
      case "Ternary":
        return union(next(nodeField(node, "trueExpr")), next(nodeField(node, "falseExpr")));
      case "FilterStatement":
        return this.foldFilterBlock(node, depth);
      default:
        return undefined;
    }
  }

  /** `{% filter lower %}__CLASS__{% endfilter %}`: the filter applied to the rendered body. */
  private foldFilterBlock(node: JinjaNode, depth: number): Folded | undefined {
    const filter = filterParts(nodeField(node, "filter"));
    const body = this.foldBody(nodeList(node, "body"), depth);
    if (!filter || !body || filter.args.some((argument) => argument.type === "KeywordArgumentExpression"))
      return undefined;
    const argumentsFolded = this.foldSequence(filter.args, depth);
    if (!argumentsFolded) return undefined;
    return combine(body, argumentsFolded, 1, `|${filter.name}`, (value, args) =>
      applyFilter(filter.name, value, args as Constant[]),
    );
  }

  private foldSequence(elements: readonly JinjaNode[], depth: number): Folded | undefined {
    let result: Folded | undefined = literal([]);
    for (const element of elements) {
      const folded = this.foldAt(element, depth + 1);
      if (!folded || !result) return undefined;
      result = combine(result, folded, 0, undefined, (list, item) => [...(list as Constant[]), item]);
    }
    return result;
  }

  private foldName(name: string, depth: number): Folded | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    const bindings = this.bindings.values.get(name);
    if (!bindings || this.resolving.has(name)) return undefined;
    this.resolving.add(name);
    let result: Folded | undefined;
    for (const binding of bindings) result = union(result, this.foldBinding(binding, depth));
    this.resolving.delete(name);
    if (result) result = { ...result, techniques: new Set([...result.techniques, "variable"]) };
    this.memo.set(name, result);
    return result;
  }

  private foldBinding(binding: Binding, depth: number): Folded | undefined {
    switch (binding.kind) {
      case "value":
        return this.foldAt(binding.node, depth + 1);
      case "body":
        return this.foldBody(binding.nodes, depth);
      case "element-of": {
        const iterable = this.foldAt(binding.node, depth + 1);
        if (!iterable) return undefined;
        const values: Constant[] = [];
        const itemOf = (element: Constant): Constant | undefined =>
          binding.index === undefined
            ? element
            : Array.isArray(element)
              ? element[binding.index]
              : typeof element === "string"
                ? [...element][binding.index]
                : undefined;
        for (const value of iterable.values) {
          const elements = Array.isArray(value) ? value : typeof value === "string" ? [...value] : [];
          for (const element of elements) {
            const item = itemOf(element);
            if (item !== undefined && values.length < MAX_CANDIDATES) values.push(item);
          }
        }
        return values.length > 0
          ? { values, operations: iterable.operations, techniques: new Set(iterable.techniques) }
          : undefined;
      }
    }
  }

  /** A block `set` or a macro body made of text and foldable expressions. */
  private foldBody(nodes: readonly JinjaNode[], depth: number): Folded | undefined {
    let result: Folded | undefined = literal("");
    for (const node of nodes) {
      if (node.type === "Comment") continue;
      const folded = this.foldAt(node, depth + 1);
      if (!folded || !result) return undefined;
      result = combine(result, folded, nodes.length > 1 ? 1 : 0, "concatenation", (left, right) =>
        concatenate(left, right),
      );
    }
    return result;
  }

  private foldBinary(node: JinjaNode, depth: number): Folded | undefined {
    const operator = operatorOf(node);
    const left = this.foldAt(nodeField(node, "left"), depth + 1);
    const right = this.foldAt(nodeField(node, "right"), depth + 1);
    if (!left || !right) return undefined;
    switch (operator) {
      case "~":
        return combine(left, right, 1, "concatenation", (a, b) => concatenate(toText(a), toText(b)));
      case "+":
        return combine(left, right, 1, "concatenation", (a, b) => {
          if (typeof a === "number" && typeof b === "number") return a + b;
          if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
          return concatenate(a, b);
        });
      case "-":
        return combine(left, right, 0, undefined, (a, b) =>
          typeof a === "number" && typeof b === "number" ? a - b : undefined,
        );
      case "*":
        return combine(left, right, 1, "repetition", (a, b) => {
          if (typeof a === "number" && typeof b === "number") return a * b;
          if (typeof a === "string" && typeof b === "number") return repeat(a, b);
          if (typeof a === "number" && typeof b === "string") return repeat(b, a);
          return undefined;
        });
      case "//":
        return combine(left, right, 0, undefined, (a, b) =>
          typeof a === "number" && typeof b === "number" && b !== 0 ? Math.floor(a / b) : undefined,
        );
      case "%":
        return combine(left, right, 1, formattingTechnique(left), (a, b) => {
          if (typeof a === "number" && typeof b === "number") return b === 0 ? undefined : a % b;
          if (typeof a !== "string") return undefined;
          return percentFormat(a, Array.isArray(b) ? b : [b]);
        });
      default:
        return undefined;
    }
  }

  private foldFilter(node: JinjaNode, depth: number): Folded | undefined {
    const filter = filterParts(nodeField(node, "filter"));
    if (!filter) return undefined;
    const operand = this.foldAt(nodeField(node, "operand"), depth + 1);
    const positional = filter.args.filter((argument) => argument.type !== "KeywordArgumentExpression");
    const argumentsFolded = this.foldSequence(positional, depth);
    if (filter.name === "default" || filter.name === "d") {
      // An undefined operand makes the default the value: `undefined|default('__class__')`.
      return union(operand, this.foldAt(positional[0], depth + 1));
    }
    if (!operand || !argumentsFolded) return undefined;
    if (positional.length !== filter.args.length) return undefined;
    const technique = filter.name === "format" ? formattingTechnique(operand) : `|${filter.name}`;
    return combine(operand, argumentsFolded, 1, technique, (value, args) =>
      applyFilter(filter.name, value, args as Constant[]),
    );
  }

  private foldCall(node: JinjaNode, depth: number): Folded | undefined {
    const callee = nodeField(node, "callee");
    const args = nodeList(node, "args");
    const calleeName = identifierName(callee);
    if (calleeName !== undefined) {
      // A macro whose body is text: `{% macro m() %}__class__{% endmacro %}{{ x[m()] }}`.
      const macro = this.foldName(`${calleeName}()`, depth);
      return macro && { ...macro, techniques: new Set([...macro.techniques, "macro"]) };
    }
    if (callee?.type !== "MemberExpression" || callee.computed === true) return undefined;
    const method = identifierName(nodeField(callee, "property"));
    if (method === undefined || args.some((argument) => argument.type === "KeywordArgumentExpression"))
      return undefined;
    const object = this.foldAt(nodeField(callee, "object"), depth + 1);
    const argumentsFolded = this.foldSequence(args, depth);
    if (!object || !argumentsFolded) return undefined;
    return combine(object, argumentsFolded, 1, techniqueOfMethod(method), (value, list) =>
      applyMethod(method, value, list as Constant[]),
    );
  }

  private foldMember(node: JinjaNode, depth: number): Folded | undefined {
    const objectNode = nodeField(node, "object");
    const property = nodeField(node, "property");
    if (!property) return undefined;
    const path = objectNode ? this.bindingPath(objectNode, depth) : undefined;
    if (node.computed !== true) {
      const name = identifierName(property);
      return path !== undefined && name !== undefined ? this.foldName(`${path}.${name}`, depth) : undefined;
    }
    if (path !== undefined && property.type !== "SliceExpression") {
      // `d['k']` reads the entry `d.k` a dict literal or namespace bound.
      const key = this.foldAt(property, depth + 1);
      let entry: Folded | undefined;
      for (const value of key?.values ?? []) {
        if (typeof value === "string") entry = union(entry, this.foldName(`${path}.${value}`, depth));
      }
      if (entry) return entry;
    }
    if (objectNode?.type === "ObjectLiteral") {
      const key = this.foldAt(property, depth + 1);
      if (!key) return undefined;
      let result: Folded | undefined;
      for (const [entryKey, entryValue] of objectEntries(objectNode)) {
        if (entryKey.type === "StringLiteral" && key.values.includes(stringField(entryKey, "value") ?? "\0")) {
          result = union(result, this.foldAt(entryValue, depth + 1));
        }
      }
      return result;
    }
    const object = this.foldAt(objectNode, depth + 1);
    if (!object) return undefined;
    if (property.type === "SliceExpression") {
      const part = (name: string): Folded | undefined => {
        const child = nodeField(property, name);
        return child ? this.foldAt(child, depth + 1) : literal(null);
      };
      const start = part("start");
      const stop = part("stop");
      const step = part("step");
      if (!start || !stop || !step) return undefined;
      const single = (folded: Folded) => (folded.values.length === 1 ? folded.values[0] : undefined);
      const [startValue, stopValue, stepValue] = [single(start), single(stop), single(step)];
      return mapValues(object, 1, "slicing", (value) => slice(value, startValue, stopValue, stepValue));
    }
    const key = this.foldAt(property, depth + 1);
    if (!key) return undefined;
    return combine(object, key, 1, "indexing", (value, index) => {
      if (typeof index !== "number" || !Number.isInteger(index)) return undefined;
      const items = typeof value === "string" ? [...value] : Array.isArray(value) ? value : undefined;
      if (!items) return undefined;
      return items[index < 0 ? items.length + index : index];
    });
  }

  /** The dotted name bindings use for `d`, `ns.k` or `d['k']['j']`; undefined for anything else. */
  private bindingPath(node: JinjaNode, depth: number): string | undefined {
    const name = identifierName(node);
    if (name !== undefined || node.type !== "MemberExpression" || depth > MAX_FOLD_DEPTH) return name;
    const object = nodeField(node, "object");
    const property = nodeField(node, "property");
    const base = object ? this.bindingPath(object, depth + 1) : undefined;
    if (base === undefined || !property) return undefined;
    const key = node.computed === true ? stringField(property, "value") : identifierName(property);
    return node.computed === true && property.type !== "StringLiteral" ? undefined : key && `${base}.${key}`;
  }
}

function literal(value: Constant): Folded {
  return { values: [value], operations: 0, techniques: new Set() };
}

function union(left: Folded | undefined, right: Folded | undefined): Folded | undefined {
  if (!left) return right;
  if (!right) return left;
  const values = [...left.values];
  for (const value of right.values) if (values.length < MAX_CANDIDATES && !values.includes(value)) values.push(value);
  return {
    values,
    operations: Math.max(left.operations, right.operations),
    techniques: new Set([...left.techniques, ...right.techniques]),
  };
}

function combine(
  left: Folded,
  right: Folded,
  operations: number,
  technique: string | undefined,
  operation: (left: Constant, right: Constant) => Constant | undefined,
): Folded | undefined {
  const values: Constant[] = [];
  for (const a of left.values) {
    for (const b of right.values) {
      if (values.length >= MAX_CANDIDATES) break;
      const value = operation(a, b);
      if (value !== undefined && !values.includes(value)) values.push(value);
    }
  }
  if (values.length === 0) return undefined;
  const techniques = new Set([...left.techniques, ...right.techniques]);
  if (technique) techniques.add(technique);
  return { values, operations: left.operations + right.operations + operations, techniques };
}

function mapValues(
  folded: Folded,
  operations: number,
  technique: string,
  operation: (value: Constant) => Constant | undefined,
) {
  return combine(folded, literal(null), operations, technique, (value) => operation(value));
}

function toText(value: Constant): Constant | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function concatenate(left: Constant | undefined, right: Constant | undefined): Constant | undefined {
  if (typeof left !== "string" || typeof right !== "string") return undefined;
  return left.length + right.length > MAX_STRING_LENGTH ? undefined : left + right;
}

function repeat(text: string, times: number): string | undefined {
  if (!Number.isInteger(times) || times < 0 || text.length * times > MAX_STRING_LENGTH) return undefined;
  return text.repeat(times);
}

function formattingTechnique(template: Folded): string {
  return template.values.some((value) => typeof value === "string" && /%[-+ #0]*\d*c/.test(value))
    ? "character codes"
    : "%-formatting";
}

function techniqueOfMethod(name: string): string {
  return `.${name}()`;
}

function applyFilter(name: string, value: Constant, args: readonly Constant[]): Constant | undefined {
  const first = args[0];
  switch (name) {
    case "join": {
      const separator = first === undefined ? "" : first;
      const items = typeof value === "string" ? [...value] : Array.isArray(value) ? value : undefined;
      if (!items || typeof separator !== "string") return undefined;
      if (!items.every((item) => typeof item === "string" || typeof item === "number")) return undefined;
      const joined = items.map(String).join(separator);
      return joined.length > MAX_STRING_LENGTH ? undefined : joined;
    }
    case "reverse":
      if (typeof value === "string") return [...value].reverse().join("");
      return Array.isArray(value) ? [...value].reverse() : undefined;
    case "format":
      return typeof value === "string" ? percentFormat(value, args) : undefined;
    case "lower":
      return typeof value === "string" ? value.toLowerCase() : undefined;
    case "upper":
      return typeof value === "string" ? value.toUpperCase() : undefined;
    case "trim":
      return typeof value === "string" && args.length === 0 ? value.trim() : undefined;
    case "string":
      return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
    case "safe":
      return value;
    case "e":
    case "escape":
      return typeof value === "string" && !/[&<>'"]/.test(value) ? value : undefined;
    case "first":
      return typeof value === "string" ? [...value][0] : Array.isArray(value) ? value[0] : undefined;
    case "last":
      return typeof value === "string" ? [...value].at(-1) : Array.isArray(value) ? value.at(-1) : undefined;
    case "list":
      return typeof value === "string" ? [...value] : Array.isArray(value) ? value : undefined;
    case "replace": {
      const replacement = args[1];
      if (typeof value !== "string" || typeof first !== "string" || typeof replacement !== "string") return undefined;
      const replaced = first === "" ? undefined : value.split(first).join(replacement);
      return replaced !== undefined && replaced.length <= MAX_STRING_LENGTH ? replaced : undefined;
    }
    case "int":
      return typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : undefined;
    default:
      return undefined;
  }
}

function applyMethod(name: string, value: Constant, args: readonly Constant[]): Constant | undefined {
  if (typeof value !== "string") return undefined;
  const first = args[0];
  switch (name) {
    case "join":
      return Array.isArray(first)
        ? applyFilter("join", first, [value])
        : typeof first === "string"
          ? applyFilter("join", first, [value])
          : undefined;
    case "format":
      return braceFormat(value, args);
    case "replace":
      return applyFilter("replace", value, args);
    case "upper":
      return value.toUpperCase();
    case "lower":
      return value.toLowerCase();
    case "strip":
      return first === undefined
        ? value.trim()
        : typeof first === "string"
          ? stripCharacters(value, first, true, true)
          : undefined;
    case "lstrip":
      return first === undefined
        ? value.trimStart()
        : typeof first === "string"
          ? stripCharacters(value, first, true, false)
          : undefined;
    case "rstrip":
      return first === undefined
        ? value.trimEnd()
        : typeof first === "string"
          ? stripCharacters(value, first, false, true)
          : undefined;
    case "removeprefix":
      return typeof first === "string" ? (value.startsWith(first) ? value.slice(first.length) : value) : undefined;
    case "removesuffix":
      return typeof first === "string"
        ? first !== "" && value.endsWith(first)
          ? value.slice(0, -first.length)
          : value
        : undefined;
    case "split":
      if (first === undefined) return value.split(/\s+/).filter((part) => part !== "");
      return typeof first === "string" && first !== "" ? value.split(first) : undefined;
    default:
      return undefined;
  }
}

function stripCharacters(value: string, characters: string, start: boolean, end: boolean): string {
  const set = new Set(characters);
  let from = 0;
  let to = value.length;
  while (start && from < to && set.has(value[from] ?? "")) from++;
  while (end && to > from && set.has(value[to - 1] ?? "")) to--;
  return value.slice(from, to);
}

/** Python slicing of a string or list, including negative bounds and steps. */
function slice(value: Constant, start: Constant | undefined, stop: Constant | undefined, step: Constant | undefined) {
  const items = typeof value === "string" ? [...value] : Array.isArray(value) ? [...value] : undefined;
  if (!items) return undefined;
  const asIndex = (bound: Constant | undefined) =>
    bound === null ? null : typeof bound === "number" && Number.isInteger(bound) ? bound : undefined;
  const [from, to, stride] = [asIndex(start), asIndex(stop), asIndex(step)];
  if (from === undefined || to === undefined || stride === undefined || stride === 0) return undefined;
  const length = items.length;
  const increment = stride ?? 1;
  const clamp = (bound: number, low: number, high: number) =>
    Math.min(Math.max(bound < 0 ? bound + length : bound, low), high);
  const picked: Constant[] = [];
  if (increment > 0) {
    const first = from === null ? 0 : clamp(from, 0, length);
    const last = to === null ? length : clamp(to, 0, length);
    for (let index = first; index < last; index += increment) picked.push(items[index] as Constant);
  } else {
    const first = from === null ? length - 1 : clamp(from, -1, length - 1);
    const last = to === null ? -1 : clamp(to, -1, length - 1);
    for (let index = first; index > last; index += increment) picked.push(items[index] as Constant);
  }
  return typeof value === "string" ? picked.join("") : picked;
}

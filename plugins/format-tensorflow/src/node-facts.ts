import type { TextFact } from "@modelaudit/core";
import { dataTypeName, isStringType } from "./data-types.js";
import { type NodeSummary, summarize } from "./file-arguments.js";
import {
  type AttrValueMessage,
  int64ToNumber,
  type NameAttrListMessage,
  type NodeDefMessage,
  type TensorMessage,
} from "./messages.js";
import { bytesToText, TENSORFLOW_LIMITS, type TensorflowParse, truncate } from "./parse-session.js";
import { types } from "./schema.js";
import { fields, WIRE_LENGTH_DELIMITED } from "./wire-reader.js";

/** NodeDef.op. */
const OP_FIELD = 2;

/** Ops that run Python inside the TensorFlow runtime; their `token` names the registered callable. */
const PYTHON_OPS = new Set(["PyFunc", "PyFuncStateless", "EagerPyFunc"]);

type Attributes = Record<string, string | number | boolean>;

/** Per-node state while its attributes are flattened into facts. */
class NodeEmitter {
  readonly attributes: Attributes = {};
  /** Text facts held back until the node's graph-node fact is out, so detectors see the node first. */
  readonly texts: TextFact[] = [];
  private attributeCount = 0;

  constructor(
    private readonly parse: TensorflowParse,
    private readonly nodeName: string,
    private readonly op: string,
    private readonly path: string,
  ) {}

  setAttribute(key: string, value: string | number | boolean): void {
    if (this.attributeCount >= TENSORFLOW_LIMITS.maxAttributesPerNode) return;
    this.attributeCount++;
    this.attributes[key] = typeof value === "string" ? truncate(value, TENSORFLOW_LIMITS.maxAttributeString) : value;
  }

  /** A string the node carries, as a text fact; bounded per node. */
  text(text: string, key: string, role: "string-constant" | "name" | "other", path: string): void {
    if (text.length === 0) return;
    if (this.texts.length >= TENSORFLOW_LIMITS.maxStringsPerNode) {
      this.parse.noteLimit(
        "strings-per-node",
        `node ${this.nodeName} holds more than ${TENSORFLOW_LIMITS.maxStringsPerNode} strings; the rest were not read`,
        this.path,
      );
      return;
    }
    this.texts.push({ kind: "text", text, key, role, location: { path } });
  }

  /** Flattens one attribute: scalars into the graph-node attributes, strings and string tensors into text facts. */
  attribute(key: string, value: AttrValueMessage, path: string, depth: number, topLevel: boolean): void {
    if (depth > TENSORFLOW_LIMITS.maxAttributeDepth) {
      this.parse.noteLimit(
        "attribute-depth",
        `attribute values nested deeper than ${TENSORFLOW_LIMITS.maxAttributeDepth} levels in node ${this.nodeName}; the rest were not read`,
        path,
      );
      return;
    }
    switch (value.value) {
      case "s": {
        const text = bytesToText(value.s, TENSORFLOW_LIMITS.maxText);
        if (topLevel) this.setAttribute(key, text);
        const isToken = topLevel && key === "token" && PYTHON_OPS.has(this.op);
        this.text(text, key, isToken ? "name" : "other", path);
        return;
      }
      case "i":
        if (topLevel) this.setAttribute(key, int64ToNumber(value.i));
        return;
      case "f":
        if (topLevel) this.setAttribute(key, value.f ?? 0);
        return;
      case "b":
        if (topLevel) this.setAttribute(key, value.b === true);
        return;
      case "type":
        if (topLevel) this.setAttribute(key, dataTypeName(value.type ?? 0));
        return;
      case "placeholder":
        if (topLevel) this.setAttribute(key, `$${value.placeholder ?? ""}`);
        return;
      case "func":
        if (value.func) this.function(key, value.func, `${path}/func`, depth, topLevel);
        return;
      case "tensor":
        if (value.tensor) this.tensor(value.tensor, `${path}/tensor`);
        return;
      case "list":
        this.list(key, value.list ?? {}, path, depth, topLevel);
        return;
      default:
        return; // shapes and unset values carry nothing we report
    }
  }

  private function(key: string, func: NameAttrListMessage, path: string, depth: number, topLevel: boolean): void {
    if (topLevel) this.setAttribute(key, func.name ?? "");
    for (const [name, nested] of Object.entries(func.attr ?? {})) {
      this.attribute(name, nested, `${path}/attr/${name}`, depth + 1, false);
    }
  }

  private list(
    key: string,
    list: NonNullable<AttrValueMessage["list"]>,
    path: string,
    depth: number,
    topLevel: boolean,
  ) {
    const strings = list.s ?? [];
    strings.forEach((item, index) => {
      this.text(bytesToText(item, TENSORFLOW_LIMITS.maxText), key, "other", `${path}/list/s[${index}]`);
    });
    const functions = list.func ?? [];
    if (topLevel && functions.length > 0) {
      this.setAttribute(key, functions.map((func) => func.name ?? "").join(","));
    }
    functions.forEach((func, index) => {
      this.function(key, func, `${path}/list/func[${index}]`, depth, false);
    });
    (list.tensor ?? []).forEach((tensor, index) => {
      this.tensor(tensor, `${path}/list/tensor[${index}]`);
    });
  }

  /** String tensors (`Const` with dtype DT_STRING and the like): every string_val is a constant the graph carries. */
  private tensor(tensor: TensorMessage, path: string): void {
    if (!isStringType(tensor.dtype)) return;
    (tensor.string_val ?? []).forEach((item, index) => {
      this.text(
        bytesToText(item, TENSORFLOW_LIMITS.maxText),
        this.nodeName,
        "string-constant",
        `${path}/string_val[${index}]`,
      );
    });
  }
}

/**
 * Decodes one NodeDef at [start, end) and emits its graph-node fact, then its strings as text facts;
 * returns what the file-argument pass needs of it.
 */
export function emitNode(parse: TensorflowParse, start: number, end: number, path: string): NodeSummary {
  parse.countNode();
  const node = parse.decode<NodeDefMessage>(types.nodeDef, start, end, `node ${path}`);
  const name = node.name ?? "";
  const op = node.op ?? "";
  const emitter = new NodeEmitter(parse, name, op, path);
  const attributes = Object.entries(node.attr ?? {}).sort(([left], [right]) =>
    left < right ? -1 : left > right ? 1 : 0,
  );
  for (const [key, value] of attributes) emitter.attribute(key, value, `${path}/attr/${key}`, 0, true);
  parse.emit({
    kind: "graph-node",
    framework: "tensorflow",
    op,
    name,
    attributes: emitter.attributes,
    location: { path },
  });
  // The node's name is free text too (graphs run to thousands of nodes; names are short).
  if (name !== "")
    parse.emit({
      kind: "text",
      text: truncate(name, TENSORFLOW_LIMITS.maxText),
      key: "node.name",
      role: "name",
      location: { path },
    });
  for (const text of emitter.texts) parse.emit(text);
  for (const earlier of earlierOps(parse, start, end, op)) {
    // protobuf keeps the last op; a reader that keeps the first runs this one, so it is judged too.
    parse.emit({
      kind: "anomaly",
      code: "parser-differential",
      message: `NodeDef ${truncate(name, 200)} names its op twice (${truncate(earlier, 100)} then ${truncate(op, 100)}): TensorFlow keeps the last, a first-wins reader the first`,
      location: { path },
    });
    parse.emit({
      kind: "graph-node",
      framework: "tensorflow",
      op: earlier,
      name,
      attributes: emitter.attributes,
      location: { path: `${path}/earlier-reading` },
    });
  }
  return summarize(node, path);
}

/** Op names written before the last one in the NodeDef at [start, end) (no writer repeats the field). */
function earlierOps(parse: TensorflowParse, start: number, end: number, last: string): string[] {
  const ops: string[] = [];
  for (const field of fields(parse.bytes, start, end)) {
    if (field.number === OP_FIELD && field.wireType === WIRE_LENGTH_DELIMITED) {
      ops.push(bytesToText(parse.bytes.subarray(field.start, field.end), TENSORFLOW_LIMITS.maxAttributeString));
    }
  }
  ops.pop();
  return [...new Set(ops)].filter((op) => op !== last);
}

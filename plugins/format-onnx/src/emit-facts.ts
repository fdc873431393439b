import type { Fact, ParseContext, ReferenceFact, TensorFact } from "@modelaudit/core";
import type { ProblemList } from "@modelaudit/core/format";
import { DATA_LOCATION_EXTERNAL, dataTypeName, rawByteLength, tensorDType } from "./data-types.js";
import { CUT, EARLIER } from "./field-walker.js";
import type {
  Attribute,
  FunctionDefinition,
  Graph,
  Model,
  Node,
  SparseTensor,
  StringEntry,
  Tensor,
  ValueInfo,
} from "./model-types.js";
import { type DataPlan, planTensorData } from "./tensor-data.js";

/** Attribute strings in graph-node facts are cut here; the full value goes out as a text fact. */
const MAX_ATTRIBUTE_TEXT = 4096;

export interface ExternalReference {
  tensor: string;
  location: string;
  offset?: number;
  length?: number;
  path: string;
}

/** A tensor whose data lies in an external file: emitted once the file is resolved. */
export interface ExternalTensor {
  fact: TensorFact;
  reference: ExternalReference;
  /** Bytes dtype × dims need; null when unknown (then the range cannot be checked). */
  expected: number | null;
}

/** A tensor whose typed-field values must be read and re-encoded before its bytes exist. */
export interface TypedTensor {
  fact: TensorFact;
  plan: Extract<DataPlan, { kind: "typed" }>;
}

/**
 * Turns the decoded model into facts. Tensors whose bytes lie in place are emitted with their range;
 * typed-field and external tensors are kept for the handler, which reads or resolves them.
 */
export class FactEmitter {
  readonly external: ExternalReference[] = [];
  /** Path references to external data, emitted by the handler once it has looked for links beside the model. */
  readonly pathReferences: ReferenceFact[] = [];
  readonly externalTensors: ExternalTensor[] = [];
  readonly typedTensors: TypedTensor[] = [];
  /** Tensors whose bytes could not be located (the file ends inside them). */
  readonly unread: string[] = [];

  constructor(
    private readonly context: Pick<ParseContext, "emit" | "checkDeadline">,
    private readonly problems: ProblemList,
  ) {}

  private emit(fact: Fact): void {
    this.context.emit(fact);
  }

  private text(
    text: string | undefined,
    key: string,
    role: "metadata" | "documentation" | "string-constant" | "name",
    path?: string,
  ) {
    if (text === undefined || text === "") return;
    this.emit({ kind: "text", text, key, role, ...(path === undefined ? {} : { location: { path } }) });
  }

  private entries(entries: StringEntry[] | undefined, path?: string): void {
    for (const entry of entries ?? []) {
      this.text(entry.value ?? "", `metadata_props.${entry.key ?? ""}`, "metadata", path);
    }
  }

  model(model: Model): void {
    this.text(model.producer_name, "producer_name", "metadata");
    this.text(model.producer_version, "producer_version", "metadata");
    this.text(model.domain, "domain", "metadata");
    this.text(model.doc_string, "doc_string", "documentation");
    for (const opset of model.opset_import ?? []) {
      // "" and "ai.onnx" name the same default operator set.
      this.text(String(opset.version ?? 0), `opset_import.${opset.domain || "ai.onnx"}`, "metadata");
    }
    this.entries(model.metadata_props);
    if (model.graph) this.graph(model.graph, "graph");
    for (const definition of model.functions ?? []) this.function(definition);
    (model.training_info ?? []).forEach((training, index) => {
      if (training.initialization) this.graph(training.initialization, `training_info[${index}]/initialization`);
      if (training.algorithm) this.graph(training.algorithm, `training_info[${index}]/algorithm`);
    });
  }

  private function(definition: FunctionDefinition): void {
    const path = `functions/${definition.domain ?? ""}:${definition.name ?? ""}${definition.overload ? `:${definition.overload}` : ""}`;
    this.text(definition.name, "function.name", "name", path);
    this.text(definition.doc_string, "doc_string", "documentation", path);
    for (const opset of definition.opset_import ?? []) {
      this.text(String(opset.version ?? 0), `opset_import.${opset.domain || "ai.onnx"}`, "metadata", path);
    }
    this.entries(definition.metadata_props, path);
    (definition.attribute_proto ?? []).forEach((attribute) => {
      this.attributeContents(attribute, path);
    });
    (definition.node ?? []).forEach((node, index) => {
      this.node(node, `${path}/node[${index}]`);
    });
  }

  graph(graph: Graph, path: string): void {
    this.text(graph.name, "graph.name", "name", path);
    this.text(graph.doc_string, "doc_string", "documentation", path);
    this.entries(graph.metadata_props, path);
    for (const kind of ["input", "output", "value_info"] as const) {
      (graph[kind] ?? []).forEach((value, index) => {
        this.valueInfo(value, `${path}/${kind}[${index}]`);
      });
    }
    (graph.initializer ?? []).forEach((tensor, index) => {
      this.tensor(tensor, `${path}/initializer[${index}]`);
    });
    (graph.sparse_initializer ?? []).forEach((sparse, index) => {
      this.sparse(sparse, `${path}/sparse_initializer[${index}]`);
    });
    (graph.node ?? []).forEach((node, index) => {
      this.node(node, `${path}/node[${index}]`);
    });
  }

  /** A graph input, output or intermediate value: its name and description are free text. */
  private valueInfo(value: ValueInfo, path: string): void {
    this.text(value.name, "value_info.name", "name", path);
    this.text(value.doc_string, `${value.name ?? ""}.doc_string`, "documentation", path);
    this.entries(value.metadata_props, path);
  }

  private node(node: Node, path: string): void {
    this.context.checkDeadline();
    this.text(node.name, "node.name", "name", path);
    const attributes: Record<string, string | number | boolean> = {};
    for (const attribute of node.attribute ?? []) {
      const value = attributeValue(attribute);
      if (attribute.name !== undefined && value !== undefined) attributes[attribute.name] = value;
    }
    this.emit({
      kind: "graph-node",
      framework: "onnx",
      op: node.op_type ?? "",
      domain: node.domain ?? "",
      name: node.name ?? "",
      attributes,
      location: { path },
    });
    // A node whose op_type or domain was written twice: a first-wins reader runs the earlier operator,
    // so that reading is judged as well (the walker already reported the disagreement).
    const earlier = (node as Record<string, unknown>)[EARLIER] as Record<string, unknown[]> | undefined;
    const readings = new Set<string>();
    for (const op of [node.op_type ?? "", ...((earlier?.op_type as string[] | undefined) ?? [])]) {
      for (const domain of [node.domain ?? "", ...((earlier?.domain as string[] | undefined) ?? [])]) {
        readings.add(JSON.stringify([domain, op]));
      }
    }
    readings.delete(JSON.stringify([node.domain ?? "", node.op_type ?? ""]));
    for (const reading of readings) {
      const [domain, op] = JSON.parse(reading) as [string, string];
      this.emit({
        kind: "graph-node",
        framework: "onnx",
        op,
        domain,
        name: node.name ?? "",
        attributes,
        location: { path: `${path}/earlier-reading` },
      });
    }
    this.text(node.doc_string, "doc_string", "documentation", path);
    this.entries(node.metadata_props, path);
    // A Constant's value tensor is known by the node's output name when it has none of its own.
    const output = node.op_type === "Constant" ? node.output?.[0] : undefined;
    for (const attribute of node.attribute ?? []) this.attributeContents(attribute, path, output);
  }

  /** String attributes as text facts; tensors and subgraphs inside attributes, recursively. */
  private attributeContents(attribute: Attribute, nodePath: string, output?: string): void {
    const name = attribute.name ?? "";
    const path = `${nodePath}/${name}`;
    this.text(attribute.s, name, "string-constant", nodePath);
    if (attribute.strings && attribute.strings.length > 0) {
      this.text(attribute.strings.join("\n"), name, "string-constant", nodePath);
    }
    this.text(attribute.doc_string, `${name}.doc_string`, "documentation", nodePath);
    if (attribute.t) this.tensor(attribute.t, path, output);
    (attribute.tensors ?? []).forEach((tensor, index) => {
      this.tensor(tensor, `${path}[${index}]`);
    });
    if (attribute.sparse_tensor) this.sparse(attribute.sparse_tensor, path);
    (attribute.sparse_tensors ?? []).forEach((sparse, index) => {
      this.sparse(sparse, `${path}[${index}]`);
    });
    if (attribute.g) this.graph(attribute.g, path);
    (attribute.graphs ?? []).forEach((graph, index) => {
      this.graph(graph, `${path}[${index}]`);
    });
  }

  /** A sparse tensor's values (shape [NNZ]) and indices, each a tensor of its own bytes. */
  private sparse(sparse: SparseTensor, path: string): void {
    if (!sparse.values) return;
    this.tensor(sparse.values, path);
    const name = sparse.values.name ?? "";
    if (sparse.indices) this.tensor(sparse.indices, `${path}/indices`, `${name}.indices`);
  }

  private tensor(tensor: Tensor, path: string, fallbackName?: string): void {
    const name = tensor.name || fallbackName || "";
    const fact: TensorFact = {
      kind: "tensor",
      name,
      dtype: tensorDType(tensor.data_type),
      formatDtype: dataTypeName(tensor.data_type),
      shape: tensor.dims ?? [],
      byteOrder: "little",
      location: { path },
    };
    // A tensor the end of the file cuts short is already reported as truncated: its data is unread.
    const cut = (tensor as Record<string, unknown>)[CUT] === true;
    const plan = cut ? ({ kind: "none" } as const) : planTensorData(tensor, fact.shape, JSON.stringify(name));
    if (cut) this.unread.push(name);
    if (plan.kind === "in-place") {
      fact.data = { offset: plan.offset, length: plan.length };
      fact.location = { path, offset: plan.offset };
    } else if (plan.kind === "problem") {
      this.problems.add("malformed", plan.message, { path });
    }
    const external = tensor.data_location === DATA_LOCATION_EXTERNAL;
    if (plan.kind === "typed") this.typedTensors.push({ fact, plan });
    else if (!external) this.emit(fact);
    if (tensor.string_data && tensor.string_data.length > 0) {
      this.text(tensor.string_data.join("\n"), name, "string-constant", path);
    }
    this.text(tensor.name, "tensor.name", "name", path);
    this.text(tensor.doc_string, `${name}.doc_string`, "documentation", path);
    this.entries(tensor.metadata_props, path);
    // Loaders keep the last entry of a key (onnx's setattr loop, onnxruntime's map); every location is a reading.
    const entries = new Map((tensor.external_data ?? []).map((entry) => [entry.key ?? "", entry.value ?? ""]));
    const location = entries.get("location");
    const locations = new Set(
      (tensor.external_data ?? []).filter((entry) => entry.key === "location").map((entry) => entry.value ?? ""),
    );
    if (locations.size > 1) {
      this.emit({
        kind: "anomaly",
        code: "parser-differential",
        message: `tensor ${name} names ${locations.size} different external data locations: readers that keep the first and the last entry read different files`,
        location: { path },
      });
    }
    for (const other of locations) {
      if (other === location) continue;
      this.pathReferences.push({
        kind: "reference",
        target: other,
        referenceKind: "path",
        key: name,
        location: { path },
      });
    }
    if (tensor.data_location === DATA_LOCATION_EXTERNAL || location !== undefined) {
      this.pathReferences.push({
        kind: "reference",
        target: location ?? "",
        referenceKind: "path",
        key: name,
        location: { path },
      });
      const reference: ExternalReference = { tensor: name, location: location ?? "", path };
      const offset = parseCount(entries.get("offset"));
      const length = parseCount(entries.get("length"));
      if (offset !== undefined) reference.offset = offset;
      if (length !== undefined) reference.length = length;
      this.external.push(reference);
      if (external) {
        this.externalTensors.push({ fact, reference, expected: rawByteLength(tensor.data_type, fact.shape) });
      }
    }
  }
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function bounded(text: string): string {
  return text.length <= MAX_ATTRIBUTE_TEXT ? text : text.slice(0, MAX_ATTRIBUTE_TEXT);
}

/** A graph-node attribute as a string, number or boolean; lists and nested values summarised. */
function attributeValue(attribute: Attribute): string | number | boolean | undefined {
  if (attribute.ref_attr_name) return bounded(`@${attribute.ref_attr_name}`);
  if (attribute.s !== undefined) return bounded(attribute.s);
  if (attribute.i !== undefined) return attribute.i;
  if (attribute.f !== undefined) return attribute.f;
  if (attribute.strings) return bounded(JSON.stringify(attribute.strings));
  if (attribute.ints) return bounded(JSON.stringify(attribute.ints));
  if (attribute.floats) return bounded(JSON.stringify(attribute.floats));
  if (attribute.g) return bounded(`graph:${attribute.g.name ?? ""}`);
  if (attribute.graphs) return bounded(`graphs:${attribute.graphs.map((graph) => graph.name ?? "").join(",")}`);
  if (attribute.t) return bounded(`tensor:${attribute.t.name ?? ""}`);
  if (attribute.tensors) return `tensors:${attribute.tensors.length}`;
  if (attribute.sparse_tensor) return bounded(`sparse-tensor:${attribute.sparse_tensor.values?.name ?? ""}`);
  if (attribute.sparse_tensors) return `sparse-tensors:${attribute.sparse_tensors.length}`;
  // INT attributes equal to 0 are written as an explicit zero; FLOAT/INT with no value field mean 0.
  if (attribute.type === 1 || attribute.type === 2) return 0;
  return undefined;
}

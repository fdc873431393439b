import { dataByteLength, type GraphNodeFact, type ParseContext, type TensorFact } from "@modelaudit/core";
import { builtinOperatorName, CUSTOM_CODE, tensorDType, tensorTypeName } from "./builtin-operators.js";
import { printableRuns, printableText } from "./custom-options.js";
import { FlatbufferError, type FlatbufferView, type TableRef, type VectorRef } from "./flatbuffer-view.js";
import { decodeFlexOptions, FlexOptionsError } from "./flex-options.js";
import type { ProblemList } from "./problems.js";
import { BUFFER, METADATA, MODEL, OPERATOR, OPERATOR_CODE, SIGNATURE_DEF, SUBGRAPH, TENSOR } from "./tflite-fields.js";

/** Where a buffer's bytes are, when it has any. */
interface BufferInfo {
  dataOffset?: number;
  dataLength?: number;
}

/** What a Flex operator's custom options say it runs: attributes for its tflite fact, one tensorflow fact per op name. */
interface FlexReadings {
  attributes: Record<string, string>;
  facts: GraphNodeFact[];
}

interface OperatorCodeInfo {
  /** Builtin name, or the custom operator's name. */
  op: string;
  builtinCode: number;
  custom: boolean;
  version: number;
}

const MAX_ATTRIBUTE = 4 * 1024;
const MAX_TEXT = 64 * 1024;
const MAX_SHAPE_RANK = 64;
/** Largest Flex custom options decoded: a NodeDef with its attributes; converters write a few hundred bytes. */
const MAX_FLEX_OPTIONS = 1024 * 1024;
/** The Flex delegate claims every custom operator whose custom_code starts with this (IsFlexOp). */
const FLEX_PREFIX = "Flex";

/** Walks Model → buffers, operator codes, subgraphs (tensors, operators), metadata. No recursion. */
export class TfliteModelReader {
  private buffers: BufferInfo[] = [];
  private operatorCodes: (OperatorCodeInfo | null)[] = [];
  /** Tensors with data, by buffer index: tensors sharing a buffer are one fact with aliases, emitted at the end. */
  private readonly tensorsByBuffer = new Map<number, TensorFact>();

  constructor(
    private readonly view: FlatbufferView,
    private readonly context: ParseContext,
    private readonly problems: ProblemList,
  ) {}

  read(): void {
    const model = this.view.root();
    this.context.emit({
      kind: "text",
      key: "tflite.schema_version",
      text: String(model.uint32(MODEL.version, 0)),
      role: "metadata",
      location: { path: "version" },
    });
    const description = model.string(MODEL.description, "model description", MAX_TEXT);
    if (description) {
      this.context.emit({
        kind: "text",
        key: "description",
        text: description,
        role: "metadata",
        location: { path: "description" },
      });
    }
    // Each section is read even when another is broken, so one bad offset cannot hide the rest.
    this.guarded("buffers", () => this.readBuffers(model));
    this.guarded("operator_codes", () => this.readOperatorCodes(model));
    this.guarded("subgraphs", () => this.readSubgraphs(model));
    this.guarded("metadata", () => this.readMetadata(model));
    this.guarded("signature_defs", () => this.readSignatureKeys(model));
    for (const fact of this.tensorsByBuffer.values()) this.context.emit(fact);
  }

  /** Runs `step` for element `index`, keeping going after one broken element so the rest is still seen. */
  private guarded(path: string, step: () => void): void {
    this.context.checkDeadline();
    try {
      step();
    } catch (error) {
      if (!(error instanceof FlatbufferError)) throw error;
      this.problems.add({ code: error.code, message: error.message, offset: error.offset, path });
    }
  }

  private vectorOf(table: TableRef, id: number, what: string): VectorRef | null {
    return table.vector(id, 4, what);
  }

  private readBuffers(model: TableRef): void {
    const vector = this.vectorOf(model, MODEL.buffers, "buffers");
    if (!vector) return;
    this.buffers = new Array(vector.length);
    for (let index = 0; index < vector.length; index++) {
      const path = `buffers[${index}]`;
      this.buffers[index] = {};
      this.guarded(path, () => {
        const buffer = model.tableAt(vector, index, path);
        const data = buffer.vector(BUFFER.data, 1, `${path}.data`);
        if (data && data.length > 0) {
          this.buffers[index] = { dataOffset: data.start, dataLength: data.length };
          return;
        }
        const offset = buffer.uint64(BUFFER.offset, 0n);
        const size = buffer.uint64(BUFFER.size, 0n);
        if (offset <= 1n) return;
        if (offset + size > BigInt(this.view.fileSize)) {
          throw new FlatbufferError(
            "malformed",
            `${path} stores ${size} bytes at offset ${offset}, outside the ${this.view.fileSize}-byte file`,
            buffer.position,
          );
        }
        this.buffers[index] = { dataOffset: Number(offset), dataLength: Number(size) };
      });
    }
  }

  private readOperatorCodes(model: TableRef): void {
    const vector = this.vectorOf(model, MODEL.operatorCodes, "operator_codes");
    if (!vector) return;
    this.operatorCodes = new Array(vector.length).fill(null);
    for (let index = 0; index < vector.length; index++) {
      const path = `operator_codes[${index}]`;
      this.guarded(path, () => {
        const code = model.tableAt(vector, index, path);
        const deprecated = code.int8(OPERATOR_CODE.deprecatedBuiltinCode, 0);
        const extended = code.int32(OPERATOR_CODE.builtinCode, 0);
        // The schema: the real code is the larger of the deprecated byte and the extended field.
        const builtinCode = Math.max(deprecated, extended);
        const customCode = code.string(OPERATOR_CODE.customCode, `${path}.custom_code`, MAX_ATTRIBUTE);
        const custom = builtinCode === CUSTOM_CODE;
        if (custom && !customCode) {
          throw new FlatbufferError("malformed", `${path} is a custom operator without a name`, code.position);
        }
        if (customCode) {
          this.context.emit({
            kind: "text",
            key: `${path}.custom_code`,
            text: customCode,
            role: "name",
            location: { path },
          });
        }
        this.operatorCodes[index] = {
          op: custom ? customCode! : builtinOperatorName(builtinCode),
          builtinCode,
          custom,
          version: code.int32(OPERATOR_CODE.version, 1),
        };
      });
    }
  }

  private readSubgraphs(model: TableRef): void {
    const vector = this.vectorOf(model, MODEL.subgraphs, "subgraphs");
    const count = vector?.length ?? 0;
    this.metadataCount("tflite.subgraph_count", count, "subgraphs");
    this.metadataCount("tflite.operator_code_count", this.operatorCodes.length, "operator_codes");
    if (!vector) return;
    for (let index = 0; index < vector.length; index++) {
      const path = `subgraph[${index}]`;
      this.guarded(path, () => this.readSubgraph(model.tableAt(vector, index, path), path));
    }
  }

  private readSubgraph(subgraph: TableRef, path: string): void {
    const name = subgraph.string(SUBGRAPH.name, `${path}.name`, MAX_ATTRIBUTE);
    if (name) this.context.emit({ kind: "text", key: `${path}.name`, text: name, role: "name", location: { path } });
    const tensors = this.vectorOf(subgraph, SUBGRAPH.tensors, `${path}.tensors`);
    const operators = this.vectorOf(subgraph, SUBGRAPH.operators, `${path}.operators`);
    this.metadataCount(`${path}.tensor_count`, tensors?.length ?? 0, path);
    this.metadataCount(`${path}.operator_count`, operators?.length ?? 0, path);
    if (tensors) {
      for (let index = 0; index < tensors.length; index++) {
        const tensorPath = `${path}/tensor[${index}]`;
        this.guarded(tensorPath, () => this.readTensor(subgraph.tableAt(tensors, index, tensorPath), tensorPath));
      }
    }
    if (operators) {
      for (let index = 0; index < operators.length; index++) {
        const operatorPath = `${path}/operator[${index}]`;
        this.guarded(operatorPath, () =>
          this.readOperator(subgraph.tableAt(operators, index, operatorPath), operatorPath),
        );
      }
    }
  }

  private readTensor(tensor: TableRef, path: string): void {
    const shapeVector = tensor.vector(TENSOR.shape, 4, `${path}.shape`);
    const shape: number[] = [];
    if (shapeVector) {
      if (shapeVector.length > MAX_SHAPE_RANK) {
        throw new FlatbufferError("limit-exceeded", `${path} has rank ${shapeVector.length}`, tensor.position);
      }
      for (let index = 0; index < shapeVector.length; index++) shape.push(tensor.int32At(shapeVector, index));
    }
    const bufferIndex = tensor.uint32(TENSOR.buffer, 0);
    if (bufferIndex >= this.buffers.length && bufferIndex !== 0) {
      throw new FlatbufferError(
        "malformed",
        `${path} refers to buffer ${bufferIndex} of ${this.buffers.length}`,
        tensor.position,
      );
    }
    const type = tensor.int8(TENSOR.type, 0);
    const tensorName = tensor.string(TENSOR.name, `${path}.name`, MAX_ATTRIBUTE);
    if (tensorName) {
      this.context.emit({ kind: "text", key: `${path}.name`, text: tensorName, role: "name", location: { path } });
    }
    const fact: TensorFact = {
      kind: "tensor",
      name: tensorName ?? path,
      dtype: tensorDType(type),
      formatDtype: tensorTypeName(type),
      shape,
      byteOrder: "little",
      location: { path, offset: tensor.position },
    };
    // Buffer 0 is the schema's empty sentinel; a tensor without bytes (an activation) has no range.
    const buffer = bufferIndex === 0 ? undefined : this.buffers[bufferIndex];
    if (buffer?.dataOffset === undefined || buffer.dataLength === undefined) {
      this.context.emit(fact);
      return;
    }
    const { dataOffset: offset, dataLength: length } = buffer;
    const expected = dataByteLength(fact.dtype, shape);
    if (fact.dtype !== "opaque" && expected !== length) {
      // The interpreter refuses a constant whose buffer does not hold dtype × shape bytes.
      this.problems.add({
        code: "malformed",
        message: `${path} (${fact.formatDtype} ${JSON.stringify(shape)}) needs ${expected ?? "an impossible number of"} bytes but buffer ${bufferIndex} holds ${length}`,
        offset: tensor.position,
        path,
      });
      this.context.emit(fact);
      return;
    }
    if (offset + length > this.view.fileSize) {
      this.problems.add({
        code: "truncated",
        message: `${path}: buffer ${bufferIndex} runs past the end of the file; its data is not read`,
        offset: tensor.position,
        path,
      });
      this.context.emit(fact);
      return;
    }
    const shared = this.tensorsByBuffer.get(bufferIndex);
    if (shared) {
      shared.aliases = [...(shared.aliases ?? []), fact.name];
      return;
    }
    fact.data = { offset, length };
    this.tensorsByBuffer.set(bufferIndex, fact);
  }

  private readOperator(operator: TableRef, path: string): void {
    const opcodeIndex = operator.uint32(OPERATOR.opcodeIndex, 0);
    const code = this.operatorCodes[opcodeIndex];
    if (opcodeIndex >= this.operatorCodes.length) {
      throw new FlatbufferError(
        "malformed",
        `${path} uses operator code ${opcodeIndex} of ${this.operatorCodes.length}`,
        operator.position,
      );
    }
    // A broken operator code was already reported; its operators cannot be named.
    if (!code) return;
    const inputs = operator.vector(OPERATOR.inputs, 4, `${path}.inputs`);
    const outputs = operator.vector(OPERATOR.outputs, 4, `${path}.outputs`);
    const customOptions = operator.vector(OPERATOR.customOptions, 1, `${path}.custom_options`);
    const attributes: Record<string, string | number | boolean> = {
      opcodeIndex,
      builtinCode: code.builtinCode,
      version: code.version,
      inputs: inputs?.length ?? 0,
      outputs: outputs?.length ?? 0,
      builtinOptionsType: operator.uint8(OPERATOR.builtinOptionsType, 0),
      customOptionsLength: customOptions?.length ?? 0,
    };
    if (customOptions) {
      const format = operator.int8(OPERATOR.customOptionsFormat, 0);
      attributes.customOptionsFormat = format === 0 ? "flexbuffers" : format;
    }
    const largeOffset = operator.uint64(OPERATOR.largeCustomOptionsOffset, 0n);
    if (largeOffset > 1n) {
      const largeSize = operator.uint64(OPERATOR.largeCustomOptionsSize, 0n);
      if (largeOffset + largeSize > BigInt(this.view.fileSize)) {
        throw new FlatbufferError(
          "malformed",
          `${path} custom options (${largeSize} bytes at ${largeOffset}) lie outside the file`,
          operator.position,
        );
      }
      attributes.customOptionsLength = Number(largeSize);
      attributes.customOptionsOffset = Number(largeOffset);
    }
    // A broken Flex payload is reported and the operator still emitted under its custom_code.
    let flexReadings = null as FlexReadings | null;
    if (code.custom && code.op.startsWith(FLEX_PREFIX)) {
      this.guarded(path, () => {
        flexReadings = this.readFlexOptions(operator, code.op, customOptions, largeOffset, path);
      });
    }
    if (flexReadings) Object.assign(attributes, flexReadings.attributes);
    const options = customOptions ? operator.bytesOf(customOptions, MAX_TEXT) : null;
    const text = options ? printableText(options) : null;
    const strings = options && text === null ? printableRuns(options) : [];
    if (text !== null) attributes.customOptions = text.slice(0, MAX_ATTRIBUTE);
    else if (strings.length > 0) attributes.customOptionsStrings = strings.join(" ").slice(0, MAX_ATTRIBUTE);

    const fact: GraphNodeFact = {
      kind: "graph-node",
      framework: "tflite",
      op: code.op,
      domain: code.custom ? "custom" : "",
      name: path,
      attributes,
      location: { path, offset: operator.position },
    };
    this.context.emit(fact);
    if (flexReadings) for (const reading of flexReadings.facts) this.context.emit(reading);
    const optionsKey = `${path}/custom_options`;
    if (text !== null) {
      this.context.emit({ kind: "text", key: optionsKey, text, role: "config", location: { path: optionsKey } });
    }
    for (const value of strings) {
      this.context.emit({ kind: "text", key: optionsKey, text: value, role: "config", location: { path: optionsKey } });
    }
  }

  /**
   * A Flex operator's options as the Flex delegate reads them: the op it runs is v[0], whatever custom_code
   * says after "Flex". Each TensorFlow op name the bytes give (v[0], every NodeDef.op) is a graph-node of
   * its own, with the NodeDef's attributes; names that disagree with each other or with custom_code are a
   * parser differential. Options the delegate could not read make the model one TensorFlow would refuse.
   */
  private readFlexOptions(
    operator: TableRef,
    customCode: string,
    inline: VectorRef | null,
    largeOffset: bigint,
    path: string,
  ): FlexReadings {
    const optionsPath = `${path}/custom_options`;
    let bytes: Uint8Array | null = null;
    let length = inline?.length ?? 0;
    let start = inline?.start;
    if (!inline && largeOffset > 1n) {
      length = Number(operator.uint64(OPERATOR.largeCustomOptionsSize, 0n));
      start = Number(largeOffset);
    }
    if (length > MAX_FLEX_OPTIONS) {
      throw new FlatbufferError(
        "limit-exceeded",
        `${path}: Flex custom options of ${length} bytes are over the ${MAX_FLEX_OPTIONS}-byte limit; the op they run was not read`,
        operator.position,
      );
    }
    if (start !== undefined && start + length <= this.view.bytes.length) {
      bytes = this.view.bytes.subarray(start, start + length);
    } else if (start !== undefined) {
      throw new FlatbufferError(
        "limit-exceeded",
        `${path}: Flex custom options lie beyond the bytes read into memory; the op they run was not read`,
        operator.position,
      );
    }
    let decoded: ReturnType<typeof decodeFlexOptions>;
    try {
      if (!bytes || bytes.length === 0) throw new FlexOptionsError("there are none");
      decoded = decodeFlexOptions(bytes);
    } catch (error) {
      if (!(error instanceof FlexOptionsError)) throw error;
      throw new FlatbufferError(
        "malformed",
        `${path}: Flex operator's custom options are not the [op name, NodeDef] FlexBuffer the Flex delegate runs (${error.message}); the op it runs is unknown`,
        operator.position,
      );
    }
    const { op, nodeDef } = decoded;
    const nodeDefOp = nodeDef.ops.at(-1);
    const attributes: Record<string, string> = { flexOp: op.slice(0, MAX_ATTRIBUTE) };
    if (nodeDefOp !== undefined) attributes.flexNodeDefOp = nodeDefOp.slice(0, MAX_ATTRIBUTE);
    if (nodeDef.name !== undefined) attributes.flexNodeName = nodeDef.name.slice(0, MAX_ATTRIBUTE);
    const named = customCode.slice(FLEX_PREFIX.length);
    const readings = [...new Set([op, ...nodeDef.ops])];
    const facts = readings.map(
      (reading, index): GraphNodeFact => ({
        kind: "graph-node",
        framework: "tensorflow",
        op: reading,
        name: nodeDef.name ?? path,
        attributes: nodeDef.attributes,
        location: { path: index === 0 ? optionsPath : `${optionsPath}/nodedef-op` },
      }),
    );
    const names = [...new Set([named, ...readings])];
    if (names.length > 1) {
      const quoted = (text: string) => JSON.stringify(text.slice(0, 100));
      const said = nodeDef.ops.length > 0 ? nodeDef.ops.map(quoted).join(" then ") : "nothing";
      this.context.emit({
        kind: "anomaly",
        code: "parser-differential",
        message: `${path}: Flex operator ${quoted(customCode)} runs TensorFlow op ${quoted(op)} (custom options v[0]); its NodeDef names ${said}. The Flex delegate runs v[0] and never compares it with custom_code`,
        location: { path: optionsPath, offset: operator.position },
      });
    }
    return { attributes, facts };
  }

  private readMetadata(model: TableRef): void {
    const vector = this.vectorOf(model, MODEL.metadata, "metadata");
    if (!vector) return;
    for (let index = 0; index < vector.length; index++) {
      const path = `metadata[${index}]`;
      this.guarded(path, () => {
        const entry = model.tableAt(vector, index, path);
        const name = entry.string(METADATA.name, `${path}.name`, MAX_ATTRIBUTE) ?? "";
        this.context.emit({ kind: "text", key: `${path}.name`, text: name, role: "metadata", location: { path } });
        const bufferIndex = entry.uint32(METADATA.buffer, 0);
        const buffer = this.buffers[bufferIndex];
        if (!buffer) {
          throw new FlatbufferError(
            "malformed",
            `${path} refers to buffer ${bufferIndex} of ${this.buffers.length}`,
            entry.position,
          );
        }
        // Short printable values (min_runtime_version, a model card) are shown as text; the rest
        // (the TFLite metadata flatbuffer, vocabularies) is left to byte-level detectors.
        if (buffer.dataOffset === undefined || buffer.dataLength === undefined) return;
        if (buffer.dataOffset + buffer.dataLength > this.view.bytes.length) return;
        const text = printableText(
          this.view.bytes.subarray(buffer.dataOffset, buffer.dataOffset + Math.min(buffer.dataLength, MAX_TEXT)),
        );
        if (text !== null) {
          this.context.emit({ kind: "text", key: name, text, role: "metadata", location: { path } });
        }
      });
    }
  }

  private readSignatureKeys(model: TableRef): void {
    const vector = this.vectorOf(model, MODEL.signatureDefs, "signature_defs");
    if (!vector) return;
    for (let index = 0; index < vector.length; index++) {
      const path = `signature_defs[${index}]`;
      this.guarded(path, () => {
        const key = model.tableAt(vector, index, path).string(SIGNATURE_DEF.signatureKey, `${path}.key`);
        if (key) this.context.emit({ kind: "text", key: `${path}.signature_key`, text: key, role: "name" });
      });
    }
  }

  private metadataCount(key: string, count: number, path: string): void {
    this.context.emit({ kind: "text", key, text: String(count), role: "metadata", location: { path } });
  }
}

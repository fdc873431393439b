import type { Fact } from "@modelaudit/core";
import { childPath, indexPath } from "./json-path.js";
import { isReportedFunction } from "./keras-functions.js";
import { isKerasModule } from "./keras-modules.js";
import { decodeLambda } from "./lambda-code.js";
import { loadTimePaths } from "./load-time-paths.js";

/**
 * Walks a Keras config (model_config, training_config, Keras 3 config.json) and emits facts: every
 * layer as a graph node, every serialized object or function whose module lies outside Keras as an
 * import, Lambda bytecode as code, paths and URLs layers read at load time as references, string
 * values as text. Collects payloads layers deserialize themselves (TorchModuleWrapper's torch.save
 * bytes) for the caller to scan. Judges nothing.
 */

const MAX_DEPTH = 128;
const MAX_NODES = 500_000;
const MAX_TEXT = 64 * 1024;
/** Keys holding a nested layer inside wrappers (TimeDistributed, Bidirectional). */
const WRAPPED_LAYER_KEYS = new Set(["layer", "backward_layer", "forward_layer", "cell"]);
/** Keys whose string values are identifiers Keras resolves itself, not references. */
const IDENTIFIER_KEYS = new Set(["name", "class_name", "registered_name", "module"]);
const REGISTERED_NAME = /^([A-Za-z_][\w.]*)>([A-Za-z_][\w.]*)$/;

/** The Lambda config fields that hold code. */
type LambdaField = "function" | "output_shape";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface WalkProblem {
  code: "malformed" | "limit-exceeded";
  message: string;
  path: string;
}

/** A serialized artifact inside a config that the layer's from_config deserializes. */
export interface EmbeddedPayload {
  /** Where it sits in the config; also its member name when scanned. */
  path: string;
  /** Base64 text as stored. */
  base64: string;
}

export class ConfigWalker {
  private nodes = 0;
  readonly embedded: EmbeddedPayload[] = [];
  private stopped = false;
  /** Paths of Lambda bytecode strings, reported as code facts rather than as text. */
  private readonly consumed = new Set<string>();
  readonly problems: WalkProblem[] = [];

  constructor(
    private readonly emit: (fact: Fact) => void,
    private readonly checkDeadline: () => void,
  ) {}

  /** Walks a whole document; `rootIsLayer` when the root is a model (model_config, config.json). */
  walkDocument(root: unknown, basePath: string, rootIsLayer: boolean): void {
    this.walk(root as Json, basePath, 0, rootIsLayer);
  }

  private problem(code: WalkProblem["code"], message: string, path: string): void {
    this.problems.push({ code, message, path });
    this.emit({ kind: "anomaly", code, message, location: { path } });
  }

  private walk(value: Json, path: string, depth: number, isLayer: boolean): void {
    if (this.stopped) return;
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) {
      this.stopped = true;
      this.problem(
        "limit-exceeded",
        `config has more than ${MAX_NODES} values or ${MAX_DEPTH} levels; the rest was not read`,
        path,
      );
      return;
    }
    if ((this.nodes & 0xfff) === 0) this.checkDeadline();
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) this.walk(item, indexPath(path, index), depth + 1, isLayer);
      return;
    }
    if (!isObject(value)) return;
    const skip = new Set<string>(["inbound_nodes"]);
    if (typeof value.class_name === "string") this.kerasObject(value, path, isLayer, skip);
    if (value.inbound_nodes !== undefined)
      this.callArguments(value.inbound_nodes, childPath(path, "inbound_nodes"), depth + 1);
    for (const [key, child] of Object.entries(value)) {
      if (skip.has(key)) continue;
      const childAt = childPath(path, key);
      if (typeof child === "string") {
        this.stringValue(key, child, childAt);
        continue;
      }
      const childIsLayer = key === "layers" || WRAPPED_LAYER_KEYS.has(key);
      // `config` of a layer holds its settings; layers nested inside are found by their keys.
      this.walk(child, childAt, depth + 1, childIsLayer);
    }
  }

  /**
   * inbound_nodes are the graph, not settings, but the keyword arguments in them are passed to the
   * layer when the functional model is rebuilt (a Lambda hands them to its function). Their string
   * values are text facts; layer names in the graph (array items, keras_history) are not.
   */
  private callArguments(value: Json, path: string, depth: number): void {
    if (this.stopped || depth > MAX_DEPTH || ++this.nodes > MAX_NODES) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        if (typeof item !== "string") this.callArguments(item, indexPath(path, index), depth + 1);
      }
      return;
    }
    if (!isObject(value) || value.class_name === "__keras_tensor__") return;
    for (const [key, child] of Object.entries(value)) {
      const at = childPath(path, key);
      if (typeof child === "string") {
        if (key !== "keras_history") this.stringValue(key, child, at);
      } else if (key !== "keras_history") this.callArguments(child, at, depth + 1);
    }
  }

  private stringValue(key: string, text: string, path: string): void {
    if (this.consumed.has(path)) return;
    if (!IDENTIFIER_KEYS.has(key)) {
      // Keras 2 serializes registered functions (activations, losses) as "package>name".
      const registered = REGISTERED_NAME.exec(text);
      if (registered && !isKerasModule(registered[1]!)) this.importFact(registered[1]!, registered[2]!, path);
    }
    this.emit({
      kind: "text",
      text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text,
      key: path,
      role: "config",
      location: { path },
    });
  }

  private importFact(module: string, name: string, path: string): void {
    this.emit({ kind: "import", module, name, via: "keras-config", location: { path } });
  }

  private kerasObject(object: Record<string, Json>, path: string, isLayer: boolean, skip: Set<string>): void {
    const className = object.class_name as string;
    const module = typeof object.module === "string" ? object.module : undefined;
    const registered = typeof object.registered_name === "string" ? object.registered_name : undefined;
    const config = object.config;

    if (className === "__lambda__") {
      // Keras 3: {"class_name": "__lambda__", "config": {"value": [code, defaults, closure]}} (or "code").
      skip.add("config");
      const inner = isObject(config) ? config : {};
      const code = Array.isArray(inner.value) ? inner.value[0] : (inner.code ?? inner.value);
      const configPath = childPath(path, "config");
      this.lambdaCode(
        code,
        Array.isArray(inner.value) ? indexPath(childPath(configPath, "value"), 0) : childPath(configPath, "code"),
        "function",
      );
      return;
    }
    if (className === "function") {
      // Keras 3 function reference: {"module": "os", "class_name": "function", "config": "system"}.
      const name = typeof config === "string" ? config : registered;
      if (module !== undefined && name !== undefined && isReportedFunction(module, name)) {
        this.importFact(module, name, path);
      }
      return;
    }

    const references = new Map<string, [string, string]>();
    if (module !== undefined && !isKerasModule(module)) references.set(`${module}\0${className}`, [module, className]);
    for (const candidate of [registered, className]) {
      const match = candidate === undefined ? null : REGISTERED_NAME.exec(candidate);
      if (!match) continue;
      const [, pack, name] = match as unknown as [string, string, string];
      // A registered package already covered by the object's module adds nothing.
      if (isKerasModule(pack) || (module !== undefined && module.split(".")[0] === pack)) continue;
      references.set(`${pack}\0${name}`, [pack, name]);
    }
    for (const [referenceModule, name] of references.values()) this.importFact(referenceModule, name, path);

    if (isLayer) {
      const settings = isObject(config) ? config : {};
      const layerName =
        typeof settings.name === "string" ? settings.name : typeof object.name === "string" ? object.name : undefined;
      const attributes: Record<string, string> = {};
      if (module !== undefined) attributes.module = module.slice(0, 4096);
      if (registered !== undefined) attributes.registered_name = registered.slice(0, 4096);
      this.emit({
        kind: "graph-node",
        framework: "keras",
        op: className,
        ...(layerName !== undefined ? { name: layerName } : {}),
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
        location: { path },
      });
    }
    if (className === "Lambda" && isObject(config)) {
      this.lambdaLayer(config, childPath(path, "config"));
    }
    if (isObject(config)) this.loadTimeReferences(className, config, childPath(path, "config"));
  }

  /** Paths and URLs the layer's constructor reads when Keras rebuilds it from this config. */
  private loadTimeReferences(className: string, config: Record<string, Json>, path: string): void {
    for (const { argument, target, referenceKind } of loadTimePaths(className, config)) {
      const at = childPath(path, argument);
      this.emit({ kind: "reference", target, referenceKind, key: `${className}.${argument}`, location: { path: at } });
    }
    // keras.layers.TorchModuleWrapper.from_config runs torch.load on base64 of torch.save bytes.
    if (className === "TorchModuleWrapper" && typeof config.module === "string") {
      const at = childPath(path, "module");
      // Scanned as the bytes it decodes to, not repeated as a config string.
      this.consumed.add(at);
      this.embedded.push({ path: at, base64: config.module });
    }
  }

  /** Keras 2 Lambda: `function` (and `output_shape`) as func_dump lists or module function names. */
  private lambdaLayer(config: Record<string, Json>, path: string): void {
    const pairs: [LambdaField, string, string][] = [
      ["function", "function_type", "module"],
      ["output_shape", "output_shape_type", "output_shape_module"],
    ];
    for (const [key, typeKey, moduleKey] of pairs) {
      const value = config[key];
      const kind = config[typeKey];
      const at = childPath(path, key);
      if (kind === "lambda" || (kind === undefined && key === "function" && Array.isArray(value))) {
        if (Array.isArray(value)) this.lambdaCode(value[0], indexPath(at, 0), key);
        else if (typeof value === "string") this.lambdaCode(value, at, key);
        else this.problem("malformed", `Lambda ${key} has function_type "lambda" but no bytecode`, at);
      } else if (kind === "function" && typeof value === "string") {
        const module = config[moduleKey];
        if (typeof module === "string" && isReportedFunction(module, value)) this.importFact(module, value, at);
        // The function a Lambda names, and its module, as text facts that say what they are.
        this.lambdaText(`keras.Lambda.${key}`, value, at, "name");
        if (typeof module === "string")
          this.lambdaText(`keras.Lambda.${moduleKey}`, module, childPath(path, moduleKey), "name");
      }
    }
  }

  /**
   * Lambda code as func_dump stores it (base64 of marshalled bytecode) becomes a code fact. A string
   * Keras' func_load cannot turn into a code object (Python source text, a command) runs nothing when
   * loaded, but it is what the file says the layer runs: a text fact keyed `keras.Lambda.function` (or
   * `.output_shape`) for the detectors that judge code in text. Bytes that start like a code object
   * but do not decode are an anomaly as well: the loader may read what this reader could not.
   */
  private lambdaCode(code: Json | undefined, path: string, field: LambdaField): void {
    if (typeof code !== "string") {
      this.problem("malformed", "Lambda bytecode is missing or not a string", path);
      return;
    }
    this.consumed.add(path);
    const decoded = decodeLambda(code, path);
    if (decoded.kind === "bytecode") {
      this.emit(decoded.fact);
      return;
    }
    if (decoded.kind === "undecodable")
      this.problem("malformed", `Lambda bytecode at ${path}: ${decoded.reason}`, path);
    this.lambdaText(`keras.Lambda.${field}`, code, path, "config");
  }

  private lambdaText(key: string, text: string, path: string, role: "config" | "name"): void {
    this.consumed.add(path);
    this.emit({ kind: "text", text: text.slice(0, MAX_TEXT), key, role, location: { path } });
  }
}

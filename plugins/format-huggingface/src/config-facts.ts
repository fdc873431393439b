import type { ParseContext, TextFact } from "@modelaudit/core";
import { childPath, indexPath } from "./json-path.js";
import { isObject } from "./read-source.js";

/** Most facts one JSON config emits before the rest are dropped (and the artifact marked inconclusive). */
export const MAX_CONFIG_FACTS = 50_000;
/** Numbers and booleans one config emits at most: extras beside the strings, dropped past this. */
export const MAX_SCALAR_FACTS = 5_000;
/** Arrays longer than this are data (token ids, suppress lists), not settings: their numbers are not emitted. */
const MAX_SETTING_ITEMS = 64;
const MAX_WALK_DEPTH = 64;
/** Keys whose values are tokens of the vocabulary, not configuration. */
const VOCABULARY_KEYS = new Set(["added_tokens_decoder", "additional_special_tokens", "added_tokens"]);
/** Special-token keys tokenizers use; other `*_token` keys (e.g. `hub_token`) may hold real credentials. */
const SPECIAL_TOKEN_KEY =
  /^(?:pad|bos|eos|unk|sep|cls|mask|im_start|im_end|image|audio|video|boi|eoi|start_of_turn|end_of_turn|fim_(?:prefix|middle|suffix|pad))_token$/;

/**
 * Turns a parsed Hugging Face JSON config into facts:
 * - `auto_map` and `custom_pipelines[*].impl` entries → `reference` facts. `module.Class` is code shipped
 *   in this repository (referenceKind "module"); `org/repo--module.Class` is code that transformers
 *   downloads from another repository (referenceKind "repository").
 * - `trust_remote_code: true` → a "module" reference: the config asks for custom code to run.
 * - `chat_template` (string, list of {name, template}, or name → template object) → `code` facts, jinja.
 * - every other string → a `text` fact keyed by its JSON path (role "vocabulary" for tokens).
 * - numbers and booleans outside long arrays → `text` facts keyed the same way (`1e-05`, `true`), so
 *   detectors can judge settings (`torch_dtype` beside `quantization_config.bits`, privacy budgets).
 */
export class ConfigFacts {
  private facts = 0;
  private scalars = 0;
  private dropped = false;

  constructor(
    private readonly context: ParseContext,
    private readonly what: string,
  ) {}

  emitDocument(root: unknown): void {
    this.walk(root, "", 0, "config");
    if (this.dropped) {
      const message = `${this.what}: more than ${MAX_CONFIG_FACTS} values; the rest were not emitted`;
      this.context.emit({ kind: "anomaly", code: "limit-exceeded", message });
      this.context.inconclusive(message);
    }
  }

  private budget(): boolean {
    if (this.facts >= MAX_CONFIG_FACTS) {
      this.dropped = true;
      return false;
    }
    this.facts++;
    return true;
  }

  text(text: string, path: string, role: TextFact["role"]): void {
    if (text.length === 0 || !this.budget()) return;
    this.context.emit({ kind: "text", text, key: path, role, location: { path } });
  }

  private scalar(text: string, path: string, role: TextFact["role"]): void {
    if (this.scalars >= MAX_SCALAR_FACTS || !this.budget()) return;
    this.scalars++;
    this.context.emit({ kind: "text", text, key: path, role, location: { path } });
  }

  code(text: string, path: string): void {
    if (!this.budget()) return;
    this.context.emit({ kind: "code", language: "jinja", text, location: { path } });
  }

  private walk(value: unknown, path: string, depth: number, role: TextFact["role"], data = false): void {
    if (depth > MAX_WALK_DEPTH || this.dropped) return;
    if ((this.facts & 0x3ff) === 0) this.context.checkDeadline();
    if (typeof value === "string") {
      this.text(value, path, role);
      return;
    }
    if (typeof value === "number" || typeof value === "boolean") {
      if (!data && role !== "vocabulary" && path !== "") this.scalar(String(value), path, role);
      return;
    }
    if (Array.isArray(value)) {
      const long = data || value.length > MAX_SETTING_ITEMS;
      for (let index = 0; index < value.length; index++)
        this.walk(value[index], indexPath(path, index), depth + 1, role, long);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const itemPath = childPath(path, key);
      if (key === "auto_map" && isObject(item)) this.autoMap(item, itemPath);
      else if (key === "custom_pipelines" && isObject(item)) this.customPipelines(item, itemPath, depth);
      else if (key === "trust_remote_code") this.trustRemoteCode(item, itemPath);
      else if (key === "chat_template" && depth === 0) this.chatTemplate(item, itemPath);
      else {
        const itemRole = depth === 0 && (VOCABULARY_KEYS.has(key) || SPECIAL_TOKEN_KEY.test(key)) ? "vocabulary" : role;
        this.walk(item, itemPath, depth + 1, itemRole, data);
      }
    }
  }

  private autoMap(map: Record<string, unknown>, path: string): void {
    for (const [autoClass, target] of Object.entries(map)) {
      const entryPath = childPath(path, autoClass);
      if (typeof target === "string") this.codeReference(target, entryPath);
      else if (Array.isArray(target)) {
        // Tokenizers list [slow, fast]; either may be null.
        target.forEach((item, index) => {
          if (typeof item === "string") this.codeReference(item, indexPath(entryPath, index));
        });
      } else if (target !== null) {
        this.context.emit({
          kind: "anomaly",
          code: "unusual-structure",
          message: `auto_map entry ${autoClass} is neither a string nor a list`,
          location: { path: entryPath },
        });
      }
    }
  }

  private customPipelines(pipelines: Record<string, unknown>, path: string, depth: number): void {
    for (const [task, definition] of Object.entries(pipelines)) {
      const taskPath = childPath(path, task);
      if (!isObject(definition)) continue;
      for (const [key, item] of Object.entries(definition)) {
        const itemPath = childPath(taskPath, key);
        if (key === "impl" && typeof item === "string") this.codeReference(item, itemPath);
        else this.walk(item, itemPath, depth + 3, "config");
      }
    }
  }

  private trustRemoteCode(value: unknown, path: string): void {
    if (value === true || value === "true" || value === "True") {
      this.reference("trust_remote_code=true", "module", path);
    }
  }

  /** `org/repo--module.Class` (transformers splits on `--`) or a local `module.Class`. */
  private codeReference(target: string, path: string): void {
    if (target.length === 0) return;
    const kind = target.includes("--") ? "repository" : "module";
    this.reference(target, kind, path);
    const local = kind === "repository" ? target.slice(target.indexOf("--") + 2) : target;
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(local)) {
      // A path-like or odd module name: transformers turns it into a file path.
      this.context.emit({
        kind: "anomaly",
        code: "unusual-structure",
        message: `code reference ${JSON.stringify(target)} is not module.Class`,
        location: { path },
      });
    }
  }

  private reference(target: string, referenceKind: "module" | "repository", path: string): void {
    if (!this.budget()) return;
    this.context.emit({ kind: "reference", target, referenceKind, key: path, location: { path } });
  }

  private chatTemplate(value: unknown, path: string): void {
    if (typeof value === "string") this.code(value, path);
    else if (Array.isArray(value)) {
      value.forEach((entry, index) => {
        const entryPath = indexPath(path, index);
        if (isObject(entry) && typeof entry.template === "string") {
          if (typeof entry.name === "string") this.text(entry.name, childPath(entryPath, "name"), "config");
          this.code(entry.template, childPath(entryPath, "template"));
        } else this.malformedTemplate(entryPath);
      });
    } else if (isObject(value)) {
      for (const [name, template] of Object.entries(value)) {
        if (typeof template === "string") this.code(template, childPath(path, name));
        else this.malformedTemplate(childPath(path, name));
      }
    } else if (value !== null) this.malformedTemplate(path);
  }

  private malformedTemplate(path: string): void {
    this.context.emit({
      kind: "anomaly",
      code: "malformed",
      message: "chat_template entry is not a template string",
      location: { path },
    });
  }
}

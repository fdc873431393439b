import { type AllowPattern, isBuiltinAllowed } from "./allowlist.js";
import {
  DANGEROUS_BARE_NAMES,
  DANGEROUS_GROUPS,
  DANGEROUS_REEXPORTS,
  type DangerCategory,
} from "./dangerous-globals.js";
import { canonicalPath } from "./module-aliases.js";

/** How a dangerous verdict was reached, from most to least certain. */
export type DangerMatch =
  /** The global is a listed dangerous callable, or a listed dangerous module itself. */
  | "exact"
  /** The global is inside a listed module or reached through a listed callable. */
  | "within"
  /** A dotted name reaches a listed global through an attribute chain (`pathlib` + `os.system`). */
  | "attribute-chain"
  /** The last name is one that is dangerous under any module (`eval`, `system`). */
  | "bare-name"
  /** The user's `deny` option lists it. */
  | "deny-list";

export interface DangerousVerdict {
  verdict: "dangerous";
  /** The listed path the global resolved to (`os.system`). */
  target: string;
  category: DangerCategory | "deny-list";
  /** Completes "it …". */
  reason: string;
  match: DangerMatch;
  confidence: number;
}

export interface AllowedVerdict {
  verdict: "allowed";
  /** `listed`, `user`, or the id of the reviewed pattern that admitted it. */
  by: string;
}

export interface UnknownVerdict {
  verdict: "unknown";
  /** False when the module string cannot be a Python module path (e.g. a DataFrame column name). */
  plausibleModule: boolean;
}

export type Classification = DangerousVerdict | AllowedVerdict | UnknownVerdict;

interface DangerEntry {
  path: string;
  scope: "module" | "callable";
  category: DangerCategory | "deny-list";
  reason: string;
}

const MODULE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const CONFIDENCE: Record<DangerMatch, { callable: number; module: number }> = {
  exact: { callable: 0.95, module: 0.9 },
  within: { callable: 0.9, module: 0.85 },
  "attribute-chain": { callable: 0.9, module: 0.8 },
  "bare-name": { callable: 0.6, module: 0.6 },
  "deny-list": { callable: 0.9, module: 0.9 },
};

/** Builds the path → entry index; throws on a path listed twice so the data stays unambiguous. */
export function indexDangerousGlobals(): Map<string, DangerEntry> {
  const index = new Map<string, DangerEntry>();
  const add = (entry: DangerEntry) => {
    if (index.has(entry.path)) throw new Error(`dangerous global ${entry.path} is listed twice`);
    index.set(entry.path, entry);
  };
  for (const group of DANGEROUS_GROUPS) {
    for (const path of group.modules) add({ path, scope: "module", category: group.category, reason: group.reason });
    for (const path of group.callables) {
      add({ path, scope: "callable", category: group.category, reason: group.reason });
    }
  }
  return index;
}

const DEFAULT_INDEX = indexDangerousGlobals();

export interface PolicyOptions {
  /** Extra allowed globals: `module:name`, `module.name`, or `package.*` for everything under a module. */
  allow?: readonly string[];
  /** Extra dangerous globals, same syntax. */
  deny?: readonly string[];
}

interface UserPattern {
  /** Canonical dotted path. */
  path: string;
  /** `pkg.*`: the path and everything under it. */
  subtree: boolean;
  /** `module:name`: only this exact pair. */
  pair?: { module: string; name: string };
}

/** The judgement over one global: dangerous first, then the allowlist, else unknown. */
export class GlobalPolicy {
  private readonly allow: UserPattern[];
  private readonly deny = new Map<string, DangerEntry>();

  constructor(options: PolicyOptions = {}) {
    this.allow = (options.allow ?? []).map(parseUserPattern);
    for (const pattern of (options.deny ?? []).map(parseUserPattern)) {
      const path = pattern.pair ? `${pattern.pair.module}.${pattern.pair.name}` : pattern.path;
      this.deny.set(path, {
        path,
        scope: pattern.subtree ? "module" : "callable",
        category: "deny-list",
        reason: "is on this scan's deny list",
      });
    }
  }

  classify(module: string, name: string): Classification {
    const danger = this.findDanger(module, name);
    if (danger) return danger;
    const canonicalModule = canonicalPath(module.split(".")).join(".");
    const builtin = isBuiltinAllowed(canonicalModule, name);
    if (builtin) return { verdict: "allowed", by: builtin === "listed" ? "listed" : (builtin as AllowPattern).id };
    if (this.isUserAllowed(canonicalModule, name)) return { verdict: "allowed", by: "user" };
    return { verdict: "unknown", plausibleModule: MODULE_PATH.test(module) };
  }

  /**
   * Judges every path the global can resolve to and keeps the most certain dangerous one. The
   * unpickler resolves `name` as an attribute chain from `module`, and any attribute on the way may
   * be a module (`pathlib.os`), so every suffix of the name is also judged as an absolute path.
   */
  private findDanger(module: string, name: string): DangerousVerdict | undefined {
    // An empty name is the module itself (an import of the module, not of a name in it).
    const nameParts = name === "" ? [] : name.split(".");
    let best: DangerousVerdict | undefined;
    const consider = (verdict: DangerousVerdict | undefined) => {
      if (verdict && (!best || verdict.confidence > best.confidence)) best = verdict;
    };
    consider(this.lookup(canonicalPath([...module.split("."), ...nameParts]), false));
    for (let start = 0; start < nameParts.length; start++) {
      const suffix = nameParts.slice(start);
      if (suffix.length >= 2) consider(this.lookup(canonicalPath(suffix), true));
    }
    const last = nameParts[nameParts.length - 1] ?? "";
    // A class re-exported under its own name (`sklearn.calibration.Parallel` is joblib's Parallel).
    const reexported = DANGEROUS_REEXPORTS.get(last);
    if (reexported !== undefined) consider(this.lookup(reexported.split("."), true));
    if (DANGEROUS_BARE_NAMES.has(last)) {
      consider({
        verdict: "dangerous",
        target: last,
        category: "code-evaluation",
        reason: "has the name of a builtin that runs code or shell commands",
        match: "bare-name",
        confidence: CONFIDENCE["bare-name"].callable,
      });
    }
    return best;
  }

  /** Longest listed prefix of a path, by dotted component. */
  private lookup(path: readonly string[], viaChain: boolean): DangerousVerdict | undefined {
    for (let length = path.length; length >= 1; length--) {
      const key = path.slice(0, length).join(".");
      const denied = this.deny.get(key);
      const entry = denied ?? DEFAULT_INDEX.get(key);
      if (!entry) continue;
      const match: DangerMatch = denied
        ? "deny-list"
        : viaChain
          ? "attribute-chain"
          : length === path.length
            ? "exact"
            : "within";
      return {
        verdict: "dangerous",
        target: path.join("."),
        category: entry.category,
        reason: entry.reason,
        match,
        confidence: CONFIDENCE[match][entry.scope],
      };
    }
    return undefined;
  }

  private isUserAllowed(module: string, name: string): boolean {
    const path = name === "" ? module : `${module}.${name}`;
    return this.allow.some((pattern) => {
      if (pattern.pair) return pattern.pair.module === module && pattern.pair.name === name;
      if (pattern.subtree) return path === pattern.path || path.startsWith(`${pattern.path}.`);
      return path === pattern.path;
    });
  }
}

/** Parses `module:name`, `module.name` or `package.*`; module names are canonicalised. */
export function parseUserPattern(text: string): UserPattern {
  const colon = text.indexOf(":");
  if (colon > 0) {
    const module = canonicalPath(text.slice(0, colon).split(".")).join(".");
    const name = text.slice(colon + 1);
    return { path: `${module}.${name}`, subtree: false, pair: { module, name } };
  }
  const subtree = text.endsWith(".*");
  const path = canonicalPath((subtree ? text.slice(0, -2) : text).split(".")).join(".");
  return { path, subtree };
}

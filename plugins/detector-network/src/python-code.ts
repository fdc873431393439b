import { isNetworkModule, networkTarget } from "./network-modules.js";

/** Python (or TorchScript) text with comments and docstrings blanked out, newlines kept. */
export interface MaskedCode {
  code: string;
  /** Blanked spans: comments and docstrings, which document rather than run. */
  prose: [number, number][];
}

const DOC_ASSIGNMENT = /^[ \t]*__doc__[ \t]*=[ \t]*$/;
/** What joins two parts of one docstring on a line: `.format(**notes) + `, `+ `. */
const CONCATENATED = /^(?:\.format\([^\n)]*\))?[ \t]*\+[ \t]*(?:[rRuU])?$/;

/**
 * Blanks comments and statement-position triple-quoted strings (docstrings, where doctest examples
 * such as `requests.get(url)` live), so only code that runs is judged as code. Other strings are kept
 * and skipped over, so a `#` inside them is not a comment.
 */
export function maskPython(text: string): MaskedCode {
  const prose: [number, number][] = [];
  let index = 0;
  let lineStart = 0;
  const length = text.length;
  while (index < length) {
    const char = text[index]!;
    if (char === "\n") {
      lineStart = index + 1;
      index++;
    } else if (char === "#") {
      const end = text.indexOf("\n", index);
      const stop = end === -1 ? length : end;
      prose.push([index, stop]);
      index = stop;
    } else if (char === '"' || char === "'") {
      const triple = text.startsWith(char.repeat(3), index);
      if (triple) {
        const close = text.indexOf(char.repeat(3), index + 3);
        const stop = close === -1 ? length : close + 3;
        const before = text.slice(lineStart, index).replace(/[rRbBuUfF]+$/, "");
        const last = prose[prose.length - 1];
        // A docstring in statement position, assigned to __doc__ (torch writes `__doc__ = r"""...""".format(...)`),
        // or concatenated to such a docstring on the line it closes (`""".format(**notes) + r"""...`).
        const docstring =
          before.trim() === "" ||
          DOC_ASSIGNMENT.test(before) ||
          (last !== undefined && last[1] >= lineStart && CONCATENATED.test(text.slice(last[1], index)));
        if (docstring) prose.push([index, stop]);
        for (let scan = index; scan < stop; scan++) if (text[scan] === "\n") lineStart = scan + 1;
        index = stop;
      } else {
        let scan = index + 1;
        while (scan < length && text[scan] !== char && text[scan] !== "\n") scan += text[scan] === "\\" ? 2 : 1;
        index = scan + 1;
      }
    } else index++;
  }
  if (prose.length === 0) return { code: text, prose };
  const parts: string[] = [];
  let cursor = 0;
  for (const [start, end] of prose) {
    parts.push(text.slice(cursor, start), text.slice(start, end).replace(/[^\n]/g, " "));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return { code: parts.join(""), prose };
}

export interface NetworkUse {
  /** The network module or function, e.g. `requests` or `ssl.get_server_certificate`. */
  target: string;
  /** What the code wrote: `import requests`, `requests.post(`. */
  written: string;
  index: number;
}

const IMPORT = /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n;]*)/gm;
const DYNAMIC_IMPORT = /(?:__import__|import_module)\s*\(\s*["']([\w.]+)["']/g;
const CALL = /(?<![\w.])([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]*\(/g;
const MAX_USES = 200;

/** Network imports and calls in masked Python code, resolved through import aliases. */
export function findNetworkUse(code: string): { imports: NetworkUse[]; calls: NetworkUse[] } {
  const bindings = new Map<string, string>();
  const imports: NetworkUse[] = [];
  const calls: NetworkUse[] = [];
  const imported = (module: string, written: string, index: number) => {
    if (imports.length < MAX_USES && isNetworkModule(module)) imports.push({ target: module, written, index });
  };
  for (const match of code.matchAll(IMPORT)) {
    for (const clause of match[1]!.split(",")) {
      const [module, alias] = clause.trim().split(/[ \t]+as[ \t]+/);
      if (!module) continue;
      bindings.set(alias ?? module.split(".")[0]!, alias ? module : module.split(".")[0]!);
      imported(module, `import ${module}`, match.index);
    }
  }
  for (const match of code.matchAll(FROM_IMPORT)) {
    const module = match[1]!;
    for (const clause of match[2]!.replace(/[()]/g, "").split(",")) {
      const [name, alias] = clause.trim().split(/[ \t]+as[ \t]+/);
      if (!name || !/^\w+$/.test(name)) continue;
      const qualified = `${module}.${name}`;
      bindings.set(alias ?? name, qualified);
      const target = networkTarget(qualified);
      if (target && imports.length < MAX_USES)
        imports.push({ target, written: `from ${module} import ${name}`, index: match.index });
    }
  }
  for (const match of code.matchAll(DYNAMIC_IMPORT)) imported(match[1]!, match[0], match.index);
  if (bindings.size === 0 && !/\b(torch|keras|tensorflow|huggingface_hub|nltk)\b/.test(code)) return { imports, calls };
  for (const match of code.matchAll(CALL)) {
    if (calls.length >= MAX_USES) break;
    const dotted = match[1]!.replace(/[ \t]+/g, "");
    const dot = dotted.indexOf(".");
    const head = dot === -1 ? dotted : dotted.slice(0, dot);
    const bound = bindings.get(head);
    const qualified = bound ? `${bound}${dot === -1 ? "" : dotted.slice(dot)}` : dotted;
    const target = networkTarget(qualified);
    if (target) calls.push({ target: qualified, written: `${dotted}(`, index: match.index });
  }
  return { imports, calls };
}

/** 1-based line numbers by index, the newline table built once on first use. */
export function lineIndex(text: string): (index: number) => number {
  let starts: number[] | undefined;
  return (index) => {
    if (!starts) {
      starts = [0];
      for (let position = text.indexOf("\n"); position !== -1; position = text.indexOf("\n", position + 1)) {
        starts.push(position + 1);
      }
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

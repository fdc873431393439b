import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Contract: no plugin or engine code may run model content or reach out: no eval, no Function
// constructor, no child processes, no sockets or HTTP clients, no worker code from strings.
const root = path.resolve(import.meta.dirname, "../../..");
const FORBIDDEN: [RegExp, string][] = [
  [/\beval\s*\(/, "eval("],
  [/\bnew\s+Function\s*\(/, "new Function("],
  [/\bFunction\s*\(\s*["'`]/, "Function(string)"],
  [/from\s+["'](node:)?child_process["']/, "child_process"],
  [/require\(\s*["'](node:)?child_process["']\s*\)/, "child_process"],
  [/from\s+["'](node:)?(net|http|https|http2|dgram|tls|dns)["']/, "network module"],
  [/\bfetch\s*\(/, "fetch("],
  [/\bvm\.(runIn|Script|compileFunction)/, "node:vm"],
  [/from\s+["'](node:)?vm["']/, "node:vm"],
];

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (/\.(ts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name)) files.push(full);
  }
  return files;
}

const packageSources = ["plugins", "packages"].flatMap((group) =>
  readdirSync(path.join(root, group))
    .map((name) => path.join(root, group, name, "src"))
    .filter((directory) => {
      try {
        return statSync(directory).isDirectory();
      } catch {
        return false;
      }
    }),
);

describe("never execute model content", () => {
  it("finds the plugin and engine sources", () => {
    expect(packageSources.some((directory) => directory.includes(`${path.sep}core${path.sep}`))).toBe(true);
    expect(packageSources.length).toBeGreaterThanOrEqual(4);
  });

  it.each(packageSources.map((directory) => [path.relative(root, directory)]))(
    "%s has no eval, processes or network",
    (relative) => {
      const offenders: string[] = [];
      for (const file of sourceFiles(path.join(root, relative))) {
        const text = readFileSync(file, "utf8")
          .replace(/\/\*[\s\S]*?\*\//g, "")
          .replace(/(^|[^:])\/\/.*$/gm, "$1");
        for (const [pattern, label] of FORBIDDEN) {
          if (pattern.test(text)) offenders.push(`${path.relative(root, file)}: ${label}`);
        }
      }
      expect(offenders).toEqual([]);
    },
  );
});

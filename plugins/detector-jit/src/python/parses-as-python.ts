import { pythonParser } from "./python-parser.js";

/** Syntax-tree nodes visited at most when deciding; text values are short, the bound only stops abuse. */
const MAX_NODES = 200_000;
/** Nodes prose in parentheses ("eval (held-out)", "Hello (world)") never has, and code nearly always does. */
const CODE_SHAPED = new Set([
  "ImportStatement",
  "String",
  "FormatString",
  "MemberExpression",
  "AssignStatement",
  "LambdaExpression",
  "FunctionDefinition",
  ";",
]);

/**
 * True when the whole text parses as Python without a single syntax error, contains a call or an
 * import, and is shaped like code (an import, a string literal, a dotted name, an assignment...):
 * `import os; os.system("id")` is, `use os.system(cmd) with care`, `bert-base-uncased` and
 * `eval (held-out)` are not. Prose almost never parses cleanly; clean prose calls nothing.
 */
export function parsesAsPythonStatements(text: string): boolean {
  const cursor = pythonParser().parse(text).cursor();
  let acts = false;
  let shaped = false;
  for (let visited = 0; visited < MAX_NODES; visited++) {
    if (cursor.type.isError) return false;
    if (cursor.name === "CallExpression" || cursor.name === "ImportStatement") acts = true;
    if (CODE_SHAPED.has(cursor.name)) shaped = true;
    if (cursor.next()) continue;
    return acts && shaped;
  }
  return false;
}

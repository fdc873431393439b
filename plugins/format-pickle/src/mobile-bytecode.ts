import type { Value } from "./values.js";

/**
 * The operator tables of a lite-interpreter archive (`torch.jit.mobile`, `.ptl`): `bytecode.pkl` is
 * `(version, (qualified_name, (("instructions", ...), ("operators", ((name, overload, argc), ...)),
 * ("constants", (...)), ...), schema), ...)`. The lite loader runs these operators without any `code/`
 * source, so they are the code's operators.
 */
export interface MobileFunction {
  name: string;
  operators: { namespace: string; name: string; overload: string }[];
  /** String constants of the function (file names a file operator may be given). */
  strings: string[];
}

const MAX_NODES = 200_000;
const MAX_STRINGS = 256;

/** True for a lite-interpreter bytecode member: `<prefix>/bytecode.pkl`. */
export function isMobileBytecodeMember(name: string | undefined): boolean {
  return name !== undefined && /^(?:[^/]+\/){0,2}bytecode\.pkl$/i.test(name);
}

const text = (value: Value | undefined) => (value?.type === "str" ? value.text : undefined);
const items = (value: Value | undefined) =>
  value?.type === "tuple" || value?.type === "list" ? value.items : undefined;

/**
 * Every `("operators", ...)` table, with the function it belongs to (the string before the table's
 * tuple) and that function's string constants. Bounded walk, no recursion.
 */
export function mobileFunctions(root: Value, onStep: () => void = () => undefined): MobileFunction[] {
  const functions: MobileFunction[] = [];
  const stack: Value[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    if (++visited % 4096 === 0) onStep();
    const value = stack.pop() as Value;
    const children = items(value);
    if (!children) continue;
    // `(name, (("instructions", ...), ("operators", ...), ...))`: a function and its tables.
    const [first, second] = children;
    const name = text(first);
    const tables = children.length >= 2 && name !== undefined ? items(second) : undefined;
    const found = tables ? functionOf(name as string, tables) : undefined;
    if (found) functions.push(found);
    stack.push(...children);
  }
  return functions;
}

function functionOf(name: string, tables: readonly Value[]): MobileFunction | undefined {
  let operators: MobileFunction["operators"] | undefined;
  const strings: string[] = [];
  for (const table of tables) {
    const [key, content] = items(table) ?? [];
    const entries = items(content);
    if (!entries) continue;
    if (text(key) === "operators") {
      operators = [];
      for (const entry of entries) {
        const [qualified, overload] = items(entry) ?? [entry];
        const written = text(qualified);
        const separator = written?.indexOf("::") ?? -1;
        if (written === undefined || separator < 0) continue;
        operators.push({
          namespace: written.slice(0, separator),
          name: written.slice(separator + 2),
          overload: text(overload) ?? "",
        });
      }
    } else if (text(key) === "constants") {
      for (const entry of entries) {
        const value = text(entry);
        if (value !== undefined && strings.length < MAX_STRINGS) strings.push(value);
      }
    }
  }
  return operators ? { name, operators, strings } : undefined;
}

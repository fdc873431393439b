import type { Value } from "./values.js";

/** A pickle's value may be deep, wide and (through the memo) cyclic: the walk is bounded on all three. */
const MAX_WALK_DEPTH = 64;
const MAX_WALK_NODES = 200_000;

/**
 * What to do with a value reached at `path`: `true` descends into it (dict, list, object), `false`
 * stops there (a tensor, an array wrapper: the caller has what it needs).
 */
export type PathVisitor = (path: string, value: Value) => boolean;

/**
 * Visits the values reachable from `root` with the name a loader gives them: dict keys and object
 * attributes (a BUILD state dict, items SETITEM-ed on an OrderedDict) joined with '.', list and tuple
 * items by index (`optimizer.state.0.exp_avg`). Each container is entered once, on its first path,
 * as the pickler wrote it first. Returns false when a bound stopped the walk early.
 */
export function walkNamedValues(root: Value, visit: PathVisitor, prefix = ""): boolean {
  const entered = new Set<Value>();
  let nodes = 0;
  const walk = (value: Value, path: string, depth: number): boolean => {
    if (++nodes > MAX_WALK_NODES) return false;
    if (!visit(path, value)) return true;
    if (depth >= MAX_WALK_DEPTH) return false;
    if (!isContainer(value) || entered.has(value)) return true;
    entered.add(value);
    const child = (key: string, item: Value) => walk(item, path === "" ? key : `${path}.${key}`, depth + 1);
    switch (value.type) {
      case "dict":
        return walkEntries(value.entries, child);
      case "object": {
        if (value.entries && !walkEntries(value.entries, child)) return false;
        const state = value.state;
        // BUILD state: the attribute dict, or (dict, slot dict) for objects with __slots__.
        if (state?.type === "dict") return walkEntries(state.entries, child);
        if (state?.type === "tuple" && state.count === 2) {
          for (const part of state.items) if (part.type === "dict" && !walkEntries(part.entries, child)) return false;
        }
        return true;
      }
      default:
        if (value.type !== "list" && value.type !== "tuple") return true;
        for (let index = 0; index < value.items.length; index++) {
          if (!child(String(index), value.items[index] as Value)) return false;
        }
        return true;
    }
  };
  return walk(root, prefix, 0);
}

function isContainer(value: Value): boolean {
  return value.type === "dict" || value.type === "object" || value.type === "list" || value.type === "tuple";
}

/** A dict's flat key/value entries; keys that are not str or int name nothing and are skipped. */
function walkEntries(entries: readonly Value[], child: (key: string, item: Value) => boolean): boolean {
  for (let index = 0; index + 1 < entries.length; index += 2) {
    const key = entries[index] as Value;
    const name =
      key.type === "str" ? key.text : key.type === "int" && Number.isSafeInteger(key.value) ? String(key.value) : null;
    if (name !== null && !child(name, entries[index + 1] as Value)) return false;
  }
  return true;
}

import type { TextFact } from "@modelaudit/core";
import { walkNamedValues } from "./value-paths.js";
import type { Value } from "./values.js";

/** Named numbers and booleans one stream emits at most; the rest are not emitted (they are extras, not code). */
export const MAX_SCALAR_FACTS = 2000;
/** Lists and tuples longer than this are data (losses, token ids), not settings: not entered. */
const MAX_SETTING_ITEMS = 64;

/**
 * The numbers and booleans of a stream's value under the names a loader gives them
 * (`privacy_accountant_state_dict.history.0.0`, `epoch`, `args.noise_multiplier`), as text facts of
 * role `metadata`: the settings a checkpoint saves beside its tensors (training arguments, accountant
 * state), for detectors that judge them. Strings are already facts (string constants); tensors,
 * arrays and the objects torch rebuilds them with are not entered.
 */
export function scalarFacts(value: Value, stream: number): TextFact[] {
  const facts: TextFact[] = [];
  walkNamedValues(value, (path, reached) => {
    if (facts.length >= MAX_SCALAR_FACTS) return false;
    switch (reached.type) {
      case "int":
        if (path !== "")
          push(facts, path, reached.big !== undefined ? String(reached.big) : String(reached.value), stream);
        return false;
      case "float":
        if (path !== "") push(facts, path, String(reached.value), stream);
        return false;
      case "bool":
        if (path !== "") push(facts, path, reached.value ? "True" : "False", stream);
        return false;
      case "list":
      case "tuple":
        return reached.items.length <= MAX_SETTING_ITEMS;
      case "object":
        // Tensors and arrays are rebuilt by torch._utils / numpy calls: their arguments are layout.
        return !/^(?:torch|numpy)(?:\.|$)/.test(reached.callee.module ?? "");
      default:
        return true;
    }
  });
  return facts;
}

function push(facts: TextFact[], path: string, text: string, stream: number): void {
  facts.push({ kind: "text", text, key: path, role: "metadata", location: { path, stream } });
}

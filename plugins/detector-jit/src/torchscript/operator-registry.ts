import {
  TORCH_OPERATOR_NAMES,
  TORCH_OPERATORS_VERSION,
  UNCHECKED_TORCH_NAMESPACES,
} from "./torch-operators.generated.js";

export { TORCH_OPERATORS_VERSION };

/**
 * What a `torch.ops.<namespace>.<name>` call (or a TorchScript `torch.<name>` builtin, which is
 * `aten::<name>`) names, checked against the operator registry of a real torch build.
 * - `operator`: the namespace registers the name.
 * - `unchecked`: a standard namespace this build does not register (torchvision, _caffe2): names unknown.
 * - `unknown-operator`: a standard namespace without that operator (`aten::system`).
 * - `unknown-namespace`: no standard build registers the namespace (an extension library's).
 */
export type OperatorStatus = "operator" | "unchecked" | "unknown-operator" | "unknown-namespace";

/** `torch.ops` members that are not namespaces (library loading and bookkeeping). */
const TORCH_OPS_MEMBERS = new Set(["load_library", "loaded_libraries", "import_module", "__file__", "__name__"]);

let registry: ReadonlyMap<string, ReadonlySet<string>> | undefined;

function operatorsOf(namespace: string): ReadonlySet<string> | undefined {
  registry ??= new Map(
    Object.entries(TORCH_OPERATOR_NAMES).map(([name, names]) => [name, new Set(names.split(" "))] as const),
  );
  return registry.get(namespace);
}

export function operatorStatus(namespace: string, name: string): OperatorStatus {
  const operators = operatorsOf(namespace);
  if (operators) return operators.has(name) ? "operator" : "unknown-operator";
  return UNCHECKED_TORCH_NAMESPACES.includes(namespace) ? "unchecked" : "unknown-namespace";
}

/**
 * The namespace and operator a resolved dotted call name addresses, or undefined when it is no
 * operator call: `torch.ops.aten.add.Tensor` → aten/add (the overload dropped), and in TorchScript
 * code `torch.<name>` → aten/<name>, the printer's spelling of ATen builtins.
 */
export function operatorCall(
  name: string,
  torchscript: boolean,
): { namespace: string; operator: string; builtin: boolean } | undefined {
  // `torch.ops.aten.add(x).sum`: a method of a call's result, the call itself is judged on its own.
  if (name.includes("()")) return undefined;
  const parts = name.split(".");
  if (parts[0] !== "torch") return undefined;
  // To the loader's resolver any builtin module's `autograd` is the aten module again:
  // `torch.autograd.save` and `torch.ops.prim.autograd.save` are aten::save.
  let index = 1;
  while (parts[index] === "autograd") index++;
  if (parts[index] === "ops" && index === 1) {
    let namespace = parts[2];
    let at = 3;
    if (!namespace || TORCH_OPS_MEMBERS.has(namespace)) return undefined;
    while (parts[at] === "autograd") {
      namespace = "aten";
      at++;
    }
    const operator = parts[at];
    if (!operator) return undefined;
    return { namespace, operator, builtin: at > 3 };
  }
  if (torchscript && parts.length === index + 1 && parts[index]) {
    return { namespace: "aten", operator: parts[index] as string, builtin: true };
  }
  return undefined;
}

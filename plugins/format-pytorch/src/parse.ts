/**
 * `@modelaudit/format-pytorch/parse`: the TorchScript source scanner of the handler, for reuse. A
 * subpath of its own so that the plugin's entry stays small: the handler imports it only when it
 * parses a member.
 */
export { findUses, type LibraryLoad, type OperatorUse, type TorchScriptUses } from "./torchscript-uses.js";

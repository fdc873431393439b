import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
import { TORCH_BOOKKEEPING } from "./member-path.js";
import { hasTorchScriptMarker, looksLikeText } from "./text-content.js";

/**
 * TorchScript archive members (torch.jit.save zips): `code/**.py` sources and `extra/*` files. The
 * sniffer only sees a member's base name, so it claims text members of a zip that are `.py` TorchScript
 * or, inside a torch zip, not one of torch's own files; `parse` then decides from the full member path.
 * `data.pkl`, `constants.pkl` and `.debug_pkl` members are pickles the pickle handler claims.
 */
export const torchscriptHandler: FormatHandler = {
  id: FORMATS.torchscript,
  description: "TorchScript archives: code/ sources (custom op namespaces, native library loads) and extra files",
  sniff(input: SniffInput): boolean {
    if (!input.parentFormats.includes(FORMATS.zip)) return false;
    const torchZip = input.parentFormats.includes(FORMATS.pytorchZip);
    // A `.py` member is code whatever bytes it holds: torch.jit.load compiles one with a NUL in a comment.
    if (input.extension === ".py") return torchZip || hasTorchScriptMarker(input.head);
    if (!looksLikeText(input.head)) return false;
    if (!torchZip || TORCH_BOOKKEEPING.has(input.name.toLowerCase())) return false;
    // Storage members are named by number (`data/0`); pickles have their own handler.
    return !/^\d+$/.test(input.name) && input.extension !== ".pkl" && input.extension !== ".debug_pkl";
  },
  async parse(context) {
    const { parseTorchScriptMember } = await import("./torchscript-parse.js");
    return parseTorchScriptMember(context);
  },
};

import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { decodeText, readBounded } from "./read-source.js";
import { headText, looksLikeText } from "./text-sniff.js";

/** Custom modelling code is small; a larger `.py` is not analysed (and the scan says so). */
export const MAX_PYTHON_BYTES = 8 * 1024 * 1024;
/** A line that only Python source starts with. */
const PYTHON_LINE =
  /^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s|def\s+\w+\s*\(|class\s+\w+\s*[(:]|async\s+def\s|@\w+|if\s+__name__\s*==|#!.*python|# -\*- coding)/m;

/**
 * `*.py` files shipped beside weights (custom modelling code that `trust_remote_code` runs):
 * the whole source becomes a `code` fact, language python. Only text that looks like Python is
 * claimed, so binary data named `.py` is left to the handlers that recognise it.
 */
export const pythonSourceHandler: FormatHandler = {
  id: FORMATS.hfPythonSource,
  description: "Python source shipped beside a model (modeling_*.py, configuration_*.py)",
  sniff(input) {
    if (input.extension !== ".py" || input.size === 0 || !looksLikeText(input.head)) return false;
    // Inside a PyTorch zip, `code/*.py` members are TorchScript, which the TorchScript handler reads.
    if (input.parentFormats.includes(FORMATS.pytorchZip)) return false;
    return PYTHON_LINE.test(headText(input.head));
  },
  async parse(context) {
    const bytes = await readBounded(context, MAX_PYTHON_BYTES, "Python source");
    if (!bytes) return;
    const text = decodeText(context, bytes, "Python source");
    if (text === null) return;
    const name = context.memberChain.at(-1) ?? context.file;
    const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
    context.emit({ kind: "code", language: "python", text, location: { path: base } });
  },
};

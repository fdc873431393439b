import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { decodeText, readBounded } from "./read-source.js";
import { headText, looksLikeText } from "./text-sniff.js";

/** Chat templates run to tens of KiB; a larger file is not read (and the scan says so). */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;
/** Names and extensions of files that are templates by name (`chat_template.jinja`, `prompt.j2`). */
const TEMPLATE_EXTENSIONS = new Set([".jinja", ".jinja2", ".j2", ".template", ".tmpl"]);
const CHAT_TEMPLATE_NAME = /^chat_template(?:\.[\w-]+)?$/i;
/** Text files other handlers read as what they are: a Jinja example inside them is not a template file. */
const OTHER_TEXT_EXTENSIONS = new Set([".json", ".md", ".markdown", ".rst", ".py", ".ipynb", ".html", ".htm"]);
/** A Jinja statement tag on one line, as every chat template has (`{% for message in messages %}`). */
const STATEMENT_TAG =
  /\{%-?\s*(?:for|if|set|macro|call|filter|block|extends|include|import|from|raw|with|generation)\b[^\n]{0,2048}?-?%\}/;

/**
 * Jinja templates on their own: files named as templates (`*.j2`, `*.jinja2`, `*.template`, `*.tmpl`,
 * `chat_template.txt`; `*.jinja` is read by the tokenizer-config handler) become a `code` fact, language jinja, judged as chat templates are; any other
 * text file whose content holds a Jinja statement tag becomes a `text` fact, so the template detector
 * judges its syntax tree without taking a file that merely shares the braces for a broken template.
 */
export const jinjaTemplateHandler: FormatHandler = {
  id: FORMATS.jinjaTemplate,
  description: "Jinja templates on their own (chat_template.jinja, *.j2, *.template), by name or by content",
  sniff(input) {
    // `*.jinja` (transformers' chat_template.jinja) is the tokenizer-config handler's.
    if (input.extension === ".jinja" || input.size === 0 || input.embedded || !looksLikeText(input.head)) return false;
    if (isTemplateByName(input.name, input.extension)) return true;
    if (OTHER_TEXT_EXTENSIONS.has(input.extension)) return false;
    return STATEMENT_TAG.test(headText(input.head));
  },
  async parse(context) {
    const bytes = await readBounded(context, MAX_TEMPLATE_BYTES, "Jinja template");
    if (!bytes) return;
    const text = decodeText(context, bytes, "Jinja template");
    if (text === null) return;
    const name = context.memberChain.at(-1) ?? context.file;
    const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
    const extension = base.includes(".") ? base.slice(base.lastIndexOf(".")).toLowerCase() : "";
    if (isTemplateByName(base, extension)) {
      context.emit({ kind: "code", language: "jinja", text, location: { path: base } });
    } else {
      context.emit({ kind: "text", text, key: base, role: "other", location: { path: base } });
    }
  },
};

function isTemplateByName(name: string, extension: string): boolean {
  return TEMPLATE_EXTENSIONS.has(extension) || (CHAT_TEMPLATE_NAME.test(name) && extension !== ".json");
}

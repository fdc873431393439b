import { z } from "@modelaudit/core/options";
import { entryMessage, isPolicyEntry, LIST_MESSAGE } from "./options.js";

/** One allow or deny entry: `module:name`, `module.name` or `package.*` (never `.*`, which would allow everything). */
const entry = z.string().refine(isPolicyEntry, { error: (issue) => entryMessage(issue.input) });
const entries = (description: string) => z.array(entry, { error: LIST_MESSAGE }).optional().describe(description);

/**
 * `options["code-execution"]`, checked when the engine is set up: an unknown key (`allowx`) or a
 * malformed entry would otherwise leave a global allowed or a deny list ignored without a word.
 */
export const optionsSchema = z.strictObject({
  allow: entries("Globals a model may import that are your own trusted code (not reported as non-allowlisted)."),
  deny: entries("Globals to treat as dangerous besides the built-in list (critical)."),
});

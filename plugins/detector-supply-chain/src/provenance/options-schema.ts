import { z } from "@modelaudit/core/options";
import { LIST_MESSAGE, PROTECTED, TRUSTED } from "./options.js";

const trimmed = (rule: typeof TRUSTED) =>
  z.string().refine(rule.test, { error: (issue) => `must be ${rule.what}, got ${JSON.stringify(issue.input)}` });

export const provenanceSchema = z
  .strictObject({
    trusted: z
      .array(trimmed(TRUSTED), { error: LIST_MESSAGE })
      .optional()
      .describe(
        "Trusted sources: org (every repository of it) or org/name, * within a segment. When set, a repository the model names as its own or its base that matches none is a warning.",
      ),
    protect: z
      .array(trimmed(PROTECTED), { error: LIST_MESSAGE })
      .optional()
      .describe("Namespaces to protect from look-alikes besides the built-in popular ones (your own org)."),
  })
  .optional()
  .describe("Trusted sources and protected namespaces (the provenance detector).");

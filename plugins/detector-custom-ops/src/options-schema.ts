import { z } from "@modelaudit/core/options";

const names = (description: string) =>
  z
    .array(z.string({ error: "must be a string" }), { error: "must be an array of strings" })
    .optional()
    .describe(description);

/** `options["custom-ops"]`, checked at start-up, so a typo'd allow list is an error rather than ignored. */
export const optionsSchema = z.strictObject({
  allowDomains: names("ONNX domains to treat as standard (a runtime the user ships with its custom ops)."),
  allowNamespaces: names("TorchScript op namespaces to treat as standard."),
  allowTfliteOps: names("TFLite custom operator names the user's runtime registers."),
});

/** What users may set under `options["custom-ops"]`. */
export interface CustomOpsOptions {
  /** ONNX domains to treat as standard (a runtime the user ships with its custom ops). */
  allowDomains: ReadonlySet<string>;
  /** TorchScript op namespaces to treat as standard. */
  allowNamespaces: ReadonlySet<string>;
  /** TFLite custom operator names the user's runtime registers. */
  allowTfliteOps: ReadonlySet<string>;
}

/** Reads the options; a malformed entry is a usage error that names the field. */
export function readOptions(options: Readonly<Record<string, unknown>>): CustomOpsOptions {
  return {
    allowDomains: readList(options, "allowDomains"),
    allowNamespaces: readList(options, "allowNamespaces"),
    allowTfliteOps: readList(options, "allowTfliteOps"),
  };
}

function readList(options: Readonly<Record<string, unknown>>, key: string): Set<string> {
  const value = options[key];
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string")) {
    throw new Error(`custom-ops options.${key} must be an array of strings`);
  }
  return new Set(value as string[]);
}

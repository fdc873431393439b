import { FORMATS, type ParseContext } from "@modelaudit/core";
import { blocked, emitKerasConfig } from "./keras-config.js";
import { classifyKerasJson } from "./keras-v3-handler.js";
import { decodePythonJson, replaceNonFiniteLiterals } from "./python-json.js";

/** config.json and metadata.json of a .keras archive are small; beyond this they are not real. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

async function readText(context: ParseContext, what: string): Promise<Uint8Array | null> {
  const { source } = context;
  const limit = Math.min(MAX_CONFIG_BYTES, context.limits.maxInMemoryBytes);
  if (source.size > limit) {
    blocked(context, "limit-exceeded", `${what} is ${source.size} bytes, over the ${limit}-byte bound; not analysed`);
    return null;
  }
  const bytes = await source.read(0, source.size);
  if (bytes.length !== source.size) {
    blocked(context, "truncated", `${what}: read ${bytes.length} of ${source.size} bytes`);
    return null;
  }
  return bytes;
}

function emitMetadata(context: ParseContext, bytes: Uint8Array): void {
  let document: unknown;
  try {
    document = JSON.parse(replaceNonFiniteLiterals(decodePythonJson(bytes, true)));
  } catch (error) {
    blocked(
      context,
      "malformed",
      `Keras metadata.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    blocked(context, "malformed", "Keras metadata.json is not a JSON object");
    return;
  }
  for (const [key, value] of Object.entries(document)) {
    if (typeof value === "string") {
      context.emit({ kind: "text", text: value.slice(0, 64 * 1024), key, role: "metadata", location: { path: key } });
    }
  }
}

/** The parse of {@link kerasV3Handler}, imported on the first Keras config (the config walker is large). */
export async function parseKerasV3(context: ParseContext): Promise<void> {
  const head = await context.source.read(0, 64 * 1024);
  const name = (context.memberChain.at(-1) ?? context.file).split("/").pop() ?? "";
  // The sniff already decided this is Keras JSON; only metadata.json needs telling apart.
  const kind =
    classifyKerasJson({
      head,
      tail: head,
      size: context.source.size,
      name,
      extension: "",
      parentFormats: context.memberChain.length > 0 ? [FORMATS.zip] : [],
    }) ?? "config";
  const bytes = await readText(context, kind === "metadata" ? "Keras metadata.json" : "Keras config");
  if (!bytes) return;
  if (kind === "metadata") {
    emitMetadata(context, bytes);
    return;
  }
  context.addFormat(FORMATS.keras);
  await emitKerasConfig(context, bytes, "$", true);
}

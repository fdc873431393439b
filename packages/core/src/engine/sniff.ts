import path from "node:path";
import type { FormatHandler, SniffInput } from "../plugin.js";
import type { Source } from "../source.js";
import type { Registry } from "./registry.js";

export const SNIFF_HEAD = 64 * 1024;
const SNIFF_TAIL = 64 * 1024 + 22;

/** Reads what sniffers see: the head and tail of the source, its name and extension. */
export async function sniffInput(source: Source, name: string, parentFormats: readonly string[]): Promise<SniffInput> {
  const head = await source.read(0, SNIFF_HEAD);
  const tail = source.size > SNIFF_HEAD ? await source.read(Math.max(0, source.size - SNIFF_TAIL), SNIFF_TAIL) : head;
  const base = path.basename(name);
  return { head, tail, size: source.size, name: base, extension: extensionOf(base), parentFormats };
}

/** Every handler whose sniffer claims the input; a sniffer that throws is reported, not fatal. */
export function claimingHandlers(
  registry: Registry,
  input: SniffInput,
  onError: (handler: FormatHandler, error: unknown) => void,
): FormatHandler[] {
  return registry.handlers.filter((handler) => {
    try {
      return handler.sniff(input);
    } catch (error) {
      onError(handler, error);
      return false;
    }
  });
}

/** What some bytes are, by the registered sniffers: the answer to `DetectorContext.identify`. */
export function identifyBytes(registry: Registry, bytes: Uint8Array): string[] {
  const input: SniffInput = {
    head: bytes.subarray(0, SNIFF_HEAD),
    tail: bytes.subarray(Math.max(0, bytes.length - SNIFF_TAIL)),
    size: bytes.length,
    name: "",
    extension: "",
    parentFormats: [],
  };
  return claimingHandlers(registry, input, () => undefined).map((handler) => handler.id);
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

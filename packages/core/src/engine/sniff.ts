import path from "node:path";
import type { FormatHandler, IdentifyOptions, IdentifyResult, SniffInput } from "../plugin.js";
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
): { handler: FormatHandler; probe: boolean }[] {
  const claimed: { handler: FormatHandler; probe: boolean }[] = [];
  for (const handler of registry.handlers) {
    try {
      const verdict = handler.sniff(input);
      if (verdict) claimed.push({ handler, probe: verdict === "probe" });
    } catch (error) {
      onError(handler, error);
    }
  }
  return claimed;
}

/**
 * Candidate offsets identify sniffs per handler and call: bounds the work a hostile stream can cause.
 * Past it the result says `limited`, never a silent stop.
 */
const MAX_CANDIDATES = 4096;

/**
 * What some bytes are, by the registered sniffers: the answer to `DetectorContext.identify`. Every
 * sniffer runs at offset 0; at later offsets only where one of a handler's magic prefixes occurs.
 */
export function identifyBytes(registry: Registry, bytes: Uint8Array, options: IdentifyOptions = {}): IdentifyResult {
  const found: IdentifyResult = [];
  const handlers = options.formats
    ? registry.handlers.filter((handler) => options.formats?.includes(handler.id))
    : registry.handlers;
  const sniffAt = (handler: FormatHandler, offset: number) => {
    const view = bytes.subarray(offset);
    const input: SniffInput = {
      head: view.subarray(0, SNIFF_HEAD),
      tail: view.subarray(Math.max(0, view.length - SNIFF_TAIL)),
      size: view.length,
      name: "",
      extension: "",
      parentFormats: [],
      embedded: true,
    };
    try {
      if (handler.sniff(input) === true) found.push({ format: handler.id, offset });
    } catch {
      // A sniffer that throws on these bytes does not claim them.
    }
  };
  for (const handler of handlers) {
    if (!options.magicOnly || handler.magic?.some((magic) => startsWith(bytes, magic))) sniffAt(handler, 0);
  }
  // One Buffer view for every magic search (not one per search).
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const handler of handlers) {
    let candidates = 0;
    const magics = handler.magic ?? [];
    // Two magics of one handler may match at one offset (one a prefix of the other): sniffed once.
    const sniffed = magics.length > 1 ? new Set<number>() : undefined;
    for (const magic of magics) {
      if (magic.length === 0) continue;
      for (let offset = haystack.indexOf(magic, 1); offset !== -1; offset = haystack.indexOf(magic, offset + 1)) {
        if (sniffed?.has(offset)) continue;
        if (++candidates > MAX_CANDIDATES) {
          found.limited = true;
          break;
        }
        sniffed?.add(offset);
        sniffAt(handler, offset);
      }
    }
  }
  return sortFound(found);
}

function startsWith(bytes: Uint8Array, magic: Uint8Array): boolean {
  return magic.length > 0 && magic.length <= bytes.length && magic.every((byte, index) => bytes[index] === byte);
}

function sortFound(found: IdentifyResult): IdentifyResult {
  return found.sort((left, right) => left.offset - right.offset || left.format.localeCompare(right.format));
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

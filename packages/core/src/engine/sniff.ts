import path from "node:path";
import type { FormatHandler, IdentifyOptions, IdentifyResult, SniffInput } from "../plugin.js";
import type { Source } from "../source.js";
import { findMagics, findMagicsAtStart, magicIndexFor } from "./magic-index.js";
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
 *
 * The later offsets come from `findMagics`: one pass over the bytes with the magics of the handlers
 * asked for indexed (once per registry and list of formats) by their first two bytes; with few
 * magics in a short window, a native search per magic. A handler's candidates are the offsets from
 * 1 on where any of its magics occurs whole, each counted and sniffed once however many of its
 * magics match there. The first MAX_CANDIDATES of them in offset order are sniffed (before, with
 * several magics, the first magic's offsets came first); `limited` is set exactly when some handler
 * had more, as before.
 */
export function identifyBytes(registry: Registry, bytes: Uint8Array, options: IdentifyOptions = {}): IdentifyResult {
  const found: IdentifyResult = [];
  const formats = options.formats;
  // Only the handlers asked for are indexed: their few magics' pairs then flag few offsets in the table scan.
  const handlers = formats ? handlersOf(registry.handlers, formats) : registry.handlers;
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
  // Per handler position: candidates so far.
  const candidates = new Int32Array(handlers.length);
  const index = magicIndexFor(handlers);
  // Offset 0: every sniffer asked for, or (magicOnly) those with a magic that starts the bytes.
  if (options.magicOnly) {
    findMagicsAtStart(index, bytes, candidates, (handler) => sniffAt(handlers[handler]!, 0));
  } else {
    for (const handler of handlers) sniffAt(handler, 0);
  }
  const limited = findMagics(index, bytes, candidates, MAX_CANDIDATES, (handler, offset) =>
    sniffAt(handlers[handler]!, offset),
  );
  if (limited) found.limited = true;
  return sortFound(found);
}

/** A subset of a registry's handlers, and the registry's handlers it was taken from. */
interface Subset {
  from: readonly FormatHandler[];
  handlers: readonly FormatHandler[];
}

/** Per list of formats asked for (the very array): its subset, when last taken. */
const byList = new WeakMap<readonly string[], Subset>();
/** Per registry handler list, the subset of each list of formats by its text (few: one per list a detector uses). */
const byText = new WeakMap<readonly FormatHandler[], Map<string, Subset>>();

/**
 * The handlers of `formats`, in registry order, as one array per list of formats for as long as
 * the registry's handlers stay the same (so that its magic index is built once); taken again when
 * a handler was replaced. Called for every window a detector asks about: a list passed again (the
 * same array) costs a comparison of the handler lists, nothing allocated.
 */
function handlersOf(all: readonly FormatHandler[], formats: readonly string[]): readonly FormatHandler[] {
  const known = byList.get(formats);
  if (known && sameHandlers(known.from, all)) return known.handlers;
  let texts = byText.get(all);
  if (!texts) {
    texts = new Map();
    byText.set(all, texts);
  }
  const key = formats.join("\0");
  let subset = texts.get(key);
  if (!subset || !sameHandlers(subset.from, all)) {
    subset = { from: [...all], handlers: all.filter((handler) => formats.includes(handler.id)) };
    texts.set(key, subset);
  }
  byList.set(formats, subset);
  return subset.handlers;
}

function sameHandlers(left: readonly FormatHandler[], right: readonly FormatHandler[]): boolean {
  if (left.length !== right.length) return false;
  for (let position = 0; position < left.length; position++) if (left[position] !== right[position]) return false;
  return true;
}

function sortFound(found: IdentifyResult): IdentifyResult {
  return found.sort((left, right) => left.offset - right.offset || left.format.localeCompare(right.format));
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

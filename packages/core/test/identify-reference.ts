import type { Registry } from "../src/engine/registry.js";
import type { FormatHandler, IdentifyOptions, IdentifyResult, SniffInput } from "../src/plugin.js";

/**
 * What `identifyBytes` did before its magics were indexed (one `Buffer.indexOf` walk per magic),
 * kept verbatim as the reference the tests compare it with and the benchmark measures it against;
 * and handlers with the first-party magics for both.
 */
export const SNIFF_HEAD = 64 * 1024;
export const SNIFF_TAIL = 64 * 1024 + 22;
export const MAX_CANDIDATES = 4096;

export function identifyReference(
  registry: Registry,
  bytes: Uint8Array,
  options: IdentifyOptions = {},
): IdentifyResult {
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
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const handler of handlers) {
    let candidates = 0;
    const magics = handler.magic ?? [];
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
  return found.sort((left, right) => left.offset - right.offset || left.format.localeCompare(right.format));
}

export function startsWith(bytes: Uint8Array, magic: Uint8Array): boolean {
  return magic.length > 0 && magic.length <= bytes.length && magic.every((byte, index) => bytes[index] === byte);
}

export const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));
/** One byte per character (latin1), so `\x90` is the byte 0x90. */
export const ascii = (text: string) => Uint8Array.from(Buffer.from(text, "latin1"));

/**
 * A handler with real magics whose sniffer decides by the byte after the magic (yes, probe or no),
 * and throws on some inputs: claims vary with content, as real sniffers' do.
 */
export function handler(id: string, magic: Uint8Array[]): FormatHandler {
  return {
    id,
    description: id,
    magic,
    sniff: ({ head }) => {
      const at = magic.find((one) => startsWith(head, one));
      const next = at ? head[at.length] : head[0];
      if (next === undefined) return at !== undefined;
      if (next % 7 === 3) throw new Error("a sniffer that throws");
      if (next % 5 === 1) return "probe";
      return next % 2 === 0;
    },
    parse: () => undefined,
  };
}

/** The magics of the recommended preset's handlers (as of this change), each handler with the sniffer above. */
export const FIRST_PARTY_HANDLERS: FormatHandler[] = [
  handler("zip", [hex("504b0304")]),
  handler("7z", [hex("377abcaf271c")]),
  handler("gzip", [hex("1f8b08")]),
  handler("joblib-zfile", [hex("5a46")]),
  handler("bzip2", [hex("425a68")]),
  handler("xz", [hex("fd377a585a00")]),
  handler("zstd", [hex("28b52ffd")]),
  handler("lz4", [hex("04224d18")]),
  handler("pickle", [hex("8002"), hex("8003"), hex("8004"), hex("8005")]),
  handler("numpy", [hex("934e554d5059")]),
  handler("elf", [hex("7f454c46")]),
  handler("pe", [hex("4d5a")]),
  handler("mach-o", [
    hex("feedface"),
    hex("cefaedfe"),
    hex("feedfacf"),
    hex("cffaedfe"),
    hex("cafebabe"),
    hex("cafebabf"),
  ]),
  handler("shebang-script", [ascii("#!")]),
];

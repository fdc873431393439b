import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
import { LENGTH_FIELD, looksLikeHeaderStart } from "./header-start.js";

const SNIFF_LIMIT = 100 * 1024 * 1024;

/** safetensors: an 8-byte little-endian header length, a JSON header, then raw tensor bytes. */
export const safetensorsHandler: FormatHandler = {
  id: FORMATS.safetensors,
  description: "safetensors weights: strict header validation, metadata strings and tensor layout",
  sniff(input: SniffInput): boolean {
    const start = looksLikeHeaderStart(input.head);
    if (!start) return false;
    if (start.length <= BigInt(Math.min(input.size - LENGTH_FIELD, SNIFF_LIMIT))) return true;
    // The content already says "safetensors" ({ right after a length field); the name breaks the tie
    // for a header that claims more bytes than exist, so a truncated file is reported, not ignored.
    return input.extension === ".safetensors";
  },
  async parse(context) {
    const { parseSafetensors } = await import("./safetensors-parse.js");
    return parseSafetensors(context);
  },
};

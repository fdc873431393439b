import type { ParseContext } from "@modelaudit/core";
import { readWhole } from "@modelaudit/core/format";

/** Largest model this package reads into memory, whatever the engine allows. */
export const MAX_MODEL_BYTES = 1024 ** 3;

/** Reads the whole model (tree models are parsed as one document), or records why not and returns null. */
export function readModelBytes(context: ParseContext, what: string): Promise<Uint8Array | null> {
  return readWhole(context, what, MAX_MODEL_BYTES);
}

const lenient = new TextDecoder("utf-8");

/** The sniff head as text, for content checks only (never for facts). */
export function headText(head: Uint8Array, length = 4096): string {
  return lenient.decode(head.subarray(0, length));
}

import { KNOWN_BAD_HASHES } from "./known-bad-hashes.js";
import type { DeniedDigest } from "./options.js";

/** Digest → why it is denied: the built-in indicators, then the user's (which win on a duplicate). */
export function buildDenyList(denied: readonly DeniedDigest[]): ReadonlyMap<string, string> {
  const list = new Map<string, string>();
  for (const entry of KNOWN_BAD_HASHES) {
    list.set(entry.sha256, `known malicious sample ${entry.name} from the ${entry.source}`);
  }
  for (const entry of denied) list.set(entry.sha256, entry.reason);
  return list;
}

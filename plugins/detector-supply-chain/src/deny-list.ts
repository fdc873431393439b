import type { DeniedDigest } from "./options.js";

/** Digest → why it is denied, from options.denySha256 (a later entry wins on a duplicate). */
export function buildDenyList(denied: readonly DeniedDigest[]): ReadonlyMap<string, string> {
  return new Map(denied.map((entry) => [entry.sha256, entry.reason]));
}

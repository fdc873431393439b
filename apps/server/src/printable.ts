import { hasUnsafeCharacters } from "./file-name.js";

/** A client-supplied name echoed in an error: bounded, with unsafe characters replaced. */
export function printable(name: string): string {
  const cleaned = [...name].map((character) => (hasUnsafeCharacters(character) ? "?" : character)).join("");
  return cleaned.length > 100 ? `${cleaned.slice(0, 100)}…` : cleaned;
}

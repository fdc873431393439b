import path from "node:path";
import type { HashPin } from "./options.js";

/**
 * The names a pin pattern is matched against: the path relative to the working directory (how users
 * write it in a config next to their models), the base name, and the absolute path.
 */
export function pinCandidates(file: string, cwd: string = process.cwd()): string[] {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute) || path.basename(absolute);
  const posix = (value: string) => value.split(path.sep).join("/");
  return [...new Set([posix(relative), path.basename(absolute), posix(absolute)])];
}

/** Pins whose pattern matches the file. Every matching pin must hold. */
export function pinsFor(file: string, pins: readonly HashPin[], cwd?: string): HashPin[] {
  if (pins.length === 0) return [];
  const candidates = pinCandidates(file, cwd);
  return pins.filter((pin) => candidates.some((candidate) => pin.matches(candidate)));
}

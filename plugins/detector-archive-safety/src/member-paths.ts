/**
 * Lexical path checks on archive member names and link targets, the way an extraction tool on
 * either Windows or POSIX would see them: backslashes count as separators, since Windows tools
 * treat them so and POSIX tools may write them back out as one.
 */

export type NameProblem = "unc" | "drive-letter" | "absolute" | "escapes" | "parent-inside";

const DRIVE_LETTER = /^[A-Za-z]:/;

/** System locations a link has no business pointing into (POSIX and Windows, lower-cased). */
const SYSTEM_PREFIXES = [
  "/etc",
  "/bin",
  "/sbin",
  "/usr",
  "/lib",
  "/lib64",
  "/boot",
  "/dev",
  "/proc",
  "/sys",
  "/root",
  "/home",
  "/var",
  "/private",
  "/system",
  "/library",
  "c:/windows",
  "c:/program files",
  "c:/users",
];

export function normaliseSeparators(name: string): string {
  return name.replaceAll("\\", "/");
}

function isUnc(normalised: string): boolean {
  return normalised.startsWith("//");
}

/** What is wrong with a member name, or null when it stays inside the extraction directory. */
export function classifyMemberName(name: string): NameProblem | null {
  const normalised = normaliseSeparators(name);
  if (isUnc(normalised)) return "unc";
  if (DRIVE_LETTER.test(normalised)) return "drive-letter";
  if (normalised.startsWith("/")) return "absolute";
  const walk = walkSegments([], normalised);
  if (walk.escapes) return "escapes";
  return walk.sawParent ? "parent-inside" : null;
}

interface Walk {
  /** Segments of the resolved path, clamped at the root. */
  segments: string[];
  escapes: boolean;
  sawParent: boolean;
}

function walkSegments(start: readonly string[], normalised: string): Walk {
  const segments = [...start];
  let escapes = false;
  let sawParent = false;
  for (const segment of normalised.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      sawParent = true;
      if (segments.length === 0) escapes = true;
      else segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return { segments, escapes, sawParent };
}

/**
 * The name two extraction tools would both write to: separators unified, `.`/`..`/empty segments
 * resolved (clamped at the root), Unicode NFC. Empty for the root itself (`./`).
 */
export function canonicalMemberName(name: string): string {
  const normalised = normaliseSeparators(name.normalize("NFC")).replace(DRIVE_LETTER, "");
  return walkSegments([], normalised).segments.join("/");
}

export type LinkProblem = "system" | "absolute" | "escapes";

/**
 * Where a link leads. Symlink targets are relative to the link's own directory; hardlink targets
 * (tar) are relative to the archive root.
 */
export function classifyLinkTarget(
  entryName: string,
  type: "symlink" | "hardlink",
  target: string,
): LinkProblem | null {
  const normalised = normaliseSeparators(target);
  if (isUnc(normalised) || DRIVE_LETTER.test(normalised) || normalised.startsWith("/")) {
    const lower = normalised.toLowerCase();
    const system = SYSTEM_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
    return system ? "system" : "absolute";
  }
  const base = type === "symlink" ? walkSegments([], normaliseSeparators(entryName)).segments.slice(0, -1) : [];
  return walkSegments(base, normalised).escapes ? "escapes" : null;
}

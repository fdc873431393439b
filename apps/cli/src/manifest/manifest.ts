import path from "node:path";
import type { FileEntry, MemberDigest } from "@modelaudit/core/engine";

/** Bumped when the manifest's shape changes; `verify` refuses versions it does not know. */
export const MANIFEST_VERSION = 1;

/** One file of a manifest: its path relative to the manifest's base, and digests. */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  sha512?: string;
  /** Archive members and decoded streams, by member chain. */
  members?: MemberDigest[];
}

/** `modelaudit hash -o manifest.json`: every file's SHA-256 and SHA-512, and those of its members. */
export interface Manifest {
  manifestVersion: number;
  tool: { name: string; version: string };
  files: ManifestFile[];
}

/** The names a manifest gives files: relative to `base`, with `/` separators, so it travels between machines. */
export function manifestPath(file: string, base: string): string {
  const relative = path.relative(base, path.resolve(file));
  return (relative === "" ? path.basename(file) : relative).split(path.sep).join("/");
}

/** The manifest of what a scan read to its end; files it could not read are left out (the caller says so). */
export function buildManifest(
  entries: readonly FileEntry[],
  base: string,
  tool: { name: string; version: string },
): Manifest {
  const files: ManifestFile[] = [];
  for (const entry of entries) {
    if (entry.sha256 === null || entry.outcome === "error") continue;
    const file: ManifestFile = { path: manifestPath(entry.path, base), size: entry.size, sha256: entry.sha256 };
    if (entry.sha512 !== undefined) file.sha512 = entry.sha512;
    if (entry.memberDigests && entry.memberDigests.length > 0) file.members = entry.memberDigests;
    files.push(file);
  }
  files.sort((left, right) => compare(left.path, right.path));
  return { manifestVersion: MANIFEST_VERSION, tool, files };
}

/** How a folder differs from a manifest. */
export interface ManifestDifference {
  added: string[];
  removed: string[];
  changed: { path: string; why: string[] }[];
  unchanged: number;
}

/** What is expected of one file: at least a SHA-256; a ModelAudit manifest adds SHA-512, size and members. */
export interface ExpectedFile {
  path: string;
  sha256: string;
  sha512?: string;
  size?: number;
  members?: readonly MemberDigest[];
}

/** Compares the files found (already hashed) with what the manifest expects, path by path. */
export function compareManifest(
  expected: readonly ExpectedFile[],
  actual: readonly ManifestFile[],
): ManifestDifference {
  const found = new Map(actual.map((file) => [file.path, file]));
  const difference: ManifestDifference = { added: [], removed: [], changed: [], unchanged: 0 };
  const listed = new Set<string>();
  for (const want of expected) {
    listed.add(want.path);
    const have = found.get(want.path);
    if (!have) {
      difference.removed.push(want.path);
      continue;
    }
    const why = differences(want, have);
    if (why.length > 0) difference.changed.push({ path: want.path, why });
    else difference.unchanged++;
  }
  for (const file of actual) if (!listed.has(file.path)) difference.added.push(file.path);
  difference.added.sort(compare);
  difference.removed.sort(compare);
  difference.changed.sort((left, right) => compare(left.path, right.path));
  return difference;
}

function differences(want: ExpectedFile, have: ManifestFile): string[] {
  const why: string[] = [];
  if (want.size !== undefined && want.size !== have.size) why.push(`size ${want.size} -> ${have.size}`);
  if (want.sha256 !== have.sha256) why.push(`sha256 ${want.sha256} -> ${have.sha256}`);
  if (want.sha512 !== undefined && have.sha512 !== undefined && want.sha512 !== have.sha512) {
    why.push("sha512 differs");
  }
  // Members say where inside an archive the change is; a changed file always has a changed digest too.
  if (want.members && have.members) {
    const key = (member: MemberDigest) => member.memberChain.join(" > ");
    const haveMembers = new Map(have.members.map((member) => [key(member), member]));
    const wantKeys = new Set(want.members.map(key));
    for (const member of want.members) {
      const other = haveMembers.get(key(member));
      if (!other) why.push(`member ${key(member)} removed`);
      else if (other.sha256 !== member.sha256) why.push(`member ${key(member)} changed`);
    }
    for (const member of have.members) if (!wantKeys.has(key(member))) why.push(`member ${key(member)} added`);
  }
  return why;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

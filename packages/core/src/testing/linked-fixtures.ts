import { cp, mkdtemp, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** A symbolic link a fixture manifest entry needs: made at test time, never committed. */
export interface FixtureLink {
  /** Where the link goes, from the fixture folder. */
  path: string;
  /** What it points to, as written in the link; `{OUTSIDE}` is the copy's `outside/` folder. */
  target: string;
}

/**
 * Copies a fixture folder whose manifest entries list `links` into a temporary directory and makes
 * those links there (git keeps no links in the fixtures, and their targets must lie outside them).
 * Returns the copy's path; remove its parent directory when done.
 */
export async function copyFixturesWithLinks(directory: string): Promise<string> {
  const root = path.join(await mkdtemp(path.join(tmpdir(), "modelaudit-links-")), path.basename(directory));
  await cp(directory, root, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8")) as { links?: FixtureLink[] }[];
  for (const link of manifest.flatMap((entry) => entry.links ?? [])) {
    await symlink(link.target.replaceAll("{OUTSIDE}", path.join(root, "outside")), path.join(root, link.path));
  }
  return root;
}

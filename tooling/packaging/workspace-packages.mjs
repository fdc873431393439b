// The workspace's packages, read from pnpm-workspace.yaml's globs (`dir/*` entries only), with their manifests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(import.meta.url), "../../..");

/** Every workspace package: `{ dir, manifest }`, dir relative to the repository root. */
export function workspacePackages() {
  const workspace = readFileSync(path.join(ROOT, "pnpm-workspace.yaml"), "utf8");
  // The `packages:` list: indented `- glob` lines up to the next top-level key.
  const list = workspace.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  const globs = [...list.matchAll(/^\s+-\s+["']?([^"'\s]+)["']?\s*$/gm)].map((match) => match[1]);
  const packages = [];
  for (const glob of globs) {
    const [parent, pattern] = glob.split("/");
    const prefix = pattern.replace(/\*$/, "");
    for (const entry of readdirSync(path.join(ROOT, parent)).sort()) {
      const dir = `${parent}/${entry}`;
      const manifestPath = path.join(ROOT, dir, "package.json");
      if (!entry.startsWith(prefix) || !existsSync(manifestPath)) continue;
      packages.push({ dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) });
    }
  }
  return packages;
}

/** The packages users install: every workspace package that is not private. */
export function publishablePackages() {
  return workspacePackages().filter(({ manifest }) => manifest.private !== true);
}

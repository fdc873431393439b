// Packs workspace packages with pnpm (which rewrites `workspace:` ranges as publishing does).
import { execFileSync } from "node:child_process";
import { ROOT } from "./workspace-packages.mjs";

/**
 * `pnpm pack` of the packages in `dirs` (relative to the repository root) into `destination`, in one
 * pnpm process. Returns pnpm's description of each tarball: `{ name, version, filename, files }`.
 */
export function packPackages(dirs, destination) {
  const filters = dirs.flatMap((dir) => ["--filter", `./${dir}`]);
  const output = execFileSync("pnpm", ["-r", ...filters, "pack", "--pack-destination", destination, "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(output.slice(output.indexOf("[")));
  return Array.isArray(parsed) ? parsed : [parsed];
}

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackages } from "../pack.mjs";
import { publishablePackages, ROOT } from "../workspace-packages.mjs";

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

const publishable = publishablePackages();
const license = readFileSync(path.join(ROOT, "LICENSE"), "utf8");
const destination = mkdtempSync(path.join(tmpdir(), "modelaudit-pack-"));
const packed = new Map<string, { files: Set<string>; root: string }>();

beforeAll(() => {
  for (const tarball of packPackages(
    publishable.map(({ dir }) => dir),
    destination,
  ) as Packed[]) {
    const root = path.join(destination, tarball.name.replace("/", "+"));
    mkdirSync(root);
    execFileSync("tar", ["-xzf", tarball.filename, "-C", root]);
    packed.set(tarball.name, {
      files: new Set(tarball.files.map((file) => file.path)),
      root: path.join(root, "package"),
    });
  }
}, 120_000);
afterAll(() => rmSync(destination, { recursive: true, force: true }));

/** Every file path an `exports` value names (conditions and subpaths, recursively). */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(exportTargets);
}

const relative = (target: string) => target.replace(/^\.\//, "");

it("packs every publishable package, and the packaging tests build them all first", () => {
  expect([...packed.keys()].sort()).toEqual(publishable.map(({ manifest }) => manifest.name).sort());
  // turbo builds a package's dependencies before its tests: each publishable package must be one.
  const own = JSON.parse(readFileSync(path.join(ROOT, "tooling/packaging/package.json"), "utf8"));
  for (const { manifest } of publishable) expect(own.devDependencies).toHaveProperty([manifest.name]);
});

describe.each(publishable.map(({ dir, manifest }) => [manifest.name as string, dir, manifest]))(
  "%s",
  (name, dir, manifest) => {
    const tarball = () => {
      const entry = packed.get(name);
      if (!entry) throw new Error(`${name} was not packed`);
      return entry;
    };
    const read = (file: string) => readFileSync(path.join(tarball().root, file), "utf8");

    it("carries README, LICENSE and CHANGELOG, the MIT licence of the repository", () => {
      const { files } = tarball();
      for (const file of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) expect(files).toContain(file);
      expect(manifest.license).toBe("MIT");
      expect(read("LICENSE")).toBe(license);
      expect(read("README.md").length).toBeGreaterThan(200);
      expect(read("CHANGELOG.md")).toMatch(new RegExp(`^# ${name.replace("/", "\\/")}\\n`));
      // What users install is what was built, never the tests.
      expect([...files].filter((file) => /(^|\/)test\/|\.test\.[jt]s$/.test(file))).toEqual([]);
    });

    it("ships every file its exports, main, types and bin name, with types beside each import", () => {
      const { files } = tarball();
      const targets = [...exportTargets(manifest.exports), manifest.main, manifest.types].filter(Boolean).map(relative);
      for (const target of targets) expect(files, `${dir}: ${target}`).toContain(target);
      for (const [subpath, conditions] of Object.entries((manifest.exports ?? {}) as Record<string, unknown>)) {
        if (typeof conditions !== "object" || conditions === null) continue;
        const { import: entry, types } = conditions as { import?: string; types?: string };
        if (entry) expect(types, `${dir}: exports["${subpath}"] has no types`).toMatch(/\.d\.ts$/);
      }
      for (const [command, target] of Object.entries((manifest.bin ?? {}) as Record<string, string>)) {
        expect(files, `${dir}: bin ${command}`).toContain(relative(target));
        expect(read(relative(target))).toMatch(/^#!\/usr\/bin\/env node\n/);
      }
    });

    it.runIf(dir.startsWith("plugins/"))("declares the plugin API it is built for as a literal", () => {
      // Read from the host core at run time, the version check could never fail. The descriptor
      // may sit in a chunk shared by the entry and its /manifest entry.
      const built = [...tarball().files].filter((file) => /^dist\/[^/]+\.js$/.test(file));
      const declared = built.map((file) => read(file).match(/apiVersion: ([\w.]+)/)?.[1]).filter(Boolean);
      expect(declared.length, name).toBeGreaterThan(0);
      for (const version of declared) expect(version, name).toMatch(/^\d+$/);
    });

    it("depends on published ranges: no workspace protocol, semver peers on @modelaudit packages", () => {
      const published = JSON.parse(read("package.json"));
      expect(published.private).toBeUndefined();
      expect(published.publishConfig).toMatchObject({ access: "public" });
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
        for (const [dependency, range] of Object.entries((published[field] ?? {}) as Record<string, string>)) {
          expect(range, `${field}.${dependency}`).not.toMatch(/^workspace:/);
          if (dependency.startsWith("@modelaudit/"))
            expect(range, `${field}.${dependency}`).toMatch(/^\^\d+\.\d+\.\d+$/);
        }
      }
    });
  },
);

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePackage } from "../src/engine/index.js";

// Names in a config resolve as `import(name)` would from the project: bare names and subpaths
// (`@modelaudit/detector-jit/manifest`) through each package's `exports`.
let root: string;
const manifests: Record<string, object> = {
  "@acme/plugin": {
    name: "@acme/plugin",
    exports: {
      "./package.json": "./package.json",
      ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
      "./manifest": { types: "./dist/manifest.d.ts", import: "./dist/manifest.js" },
      "./rules/*": { node: "./dist/rules/*.js" },
    },
  },
  "plain-plugin": { name: "plain-plugin", main: "lib/main.js" },
  "sugar-plugin": { name: "sugar-plugin", exports: "./entry.mjs" },
  "conditions-plugin": { name: "conditions-plugin", exports: { require: "./x.cjs", default: "./x.mjs" } },
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "modelaudit-resolve-"));
  for (const [name, manifest] of Object.entries(manifests)) {
    const dir = path.join(root, "node_modules", name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
  }
  await mkdir(path.join(root, "project", "sub"), { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const from = () => path.join(root, "project", "sub");
const installed = (name: string, file: string) => path.join(root, "node_modules", name, file);

describe("resolvePackage", () => {
  it("finds a package in the node_modules of a parent folder, by its import condition", () => {
    expect(resolvePackage("@acme/plugin", from())).toBe(installed("@acme/plugin", "dist/index.js"));
  });

  it("resolves a subpath the package exports, exactly or through a pattern", () => {
    expect(resolvePackage("@acme/plugin/manifest", from())).toBe(installed("@acme/plugin", "dist/manifest.js"));
    expect(resolvePackage("@acme/plugin/rules/a/b", from())).toBe(installed("@acme/plugin", "dist/rules/a/b.js"));
  });

  it("refuses a subpath the package does not export, naming it", () => {
    expect(() => resolvePackage("@acme/plugin/secret", from())).toThrow("@acme/plugin does not export ./secret");
  });

  it("takes main, string exports and conditions without subpaths", () => {
    expect(resolvePackage("plain-plugin", from())).toBe(installed("plain-plugin", "lib/main.js"));
    expect(resolvePackage("sugar-plugin", from())).toBe(installed("sugar-plugin", "entry.mjs"));
    expect(resolvePackage("conditions-plugin", from())).toBe(installed("conditions-plugin", "x.mjs"));
    expect(() => resolvePackage("sugar-plugin/other", from())).toThrow("sugar-plugin does not export ./other");
  });

  it("is undefined for names installed nowhere above the folder", () => {
    expect(resolvePackage("@acme/missing", from())).toBeUndefined();
    expect(resolvePackage("@acme", from())).toBeUndefined();
    expect(resolvePackage("@acme/plugin", tmpdir())).toBeUndefined();
  });
});

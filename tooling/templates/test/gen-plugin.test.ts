import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const generator = path.join(here, "../gen-plugin.mjs");
// This package's node_modules holds what a generated plugin needs: @modelaudit/core, tsup, vitest, typescript.
const toolchain = path.join(here, "../node_modules");
const scratch = mkdtempSync(path.join(tmpdir(), "modelaudit-gen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const generate = (...args: string[]) => execFileSync(process.execPath, [generator, ...args], { encoding: "utf8" });
// Plain output: no colours, so the summary line can be read.
const { FORCE_COLOR: _color, ...plainEnv } = process.env;
const run = (dir: string, bin: string, ...args: string[]) =>
  execFileSync(path.join(dir, "node_modules/.bin", bin), args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...plainEnv, CI: "1", NO_COLOR: "1" },
  }).replace(/\u001b\[[0-9;]*m/g, "");

describe.each(["detector", "format"])("pnpm gen:plugin %s", (kind) => {
  it("scaffolds a third-party package that builds, type-checks and passes its tests as generated", () => {
    const dir = path.join(scratch, `${kind}-out`);
    expect(generate(kind, "nightjar-check", "--out", dir)).toMatch(/created modelaudit-plugin-nightjar-check/);
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest.name).toBe("modelaudit-plugin-nightjar-check");
    expect(manifest.peerDependencies["@modelaudit/core"]).toMatch(/^\^\d+\.\d+\.\d+$/);
    for (const file of ["README.md", "LICENSE", "CHANGELOG.md", "src/index.ts", "test/nightjar-check.test.ts"]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(dir, "src/index.ts"), "utf8")).toMatch(/apiVersion: 1,/);

    symlinkSync(toolchain, path.join(dir, "node_modules"), "dir");
    run(dir, "tsup");
    expect(existsSync(path.join(dir, "dist/index.js"))).toBe(true);
    expect(existsSync(path.join(dir, "dist/index.d.ts"))).toBe(true);
    run(dir, "tsc", "--noEmit");
    expect(run(dir, "vitest", "run")).toMatch(/Tests\s+\d+ passed \(\d+\)/);
  }, 180_000);

  it("scaffolds a first-party package in the workspace, and refuses to overwrite one", () => {
    const root = path.join(scratch, `${kind}-repo`);
    expect(generate(kind, "nightjar-check", "--root", root)).toMatch(/run pnpm install/);
    const dir = path.join(root, "plugins", `${kind}-nightjar-check`);
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest.name).toBe(`@modelaudit/${kind}-nightjar-check`);
    expect(manifest.peerDependencies["@modelaudit/core"]).toBe("workspace:^");
    expect(manifest.repository.directory).toBe(`plugins/${kind}-nightjar-check`);
    expect(readFileSync(path.join(dir, "tsconfig.json"), "utf8")).toContain("../../tooling/tsconfig/base.json");
    expect(() => generate(kind, "nightjar-check", "--root", root)).toThrow(/exists and is not empty/);
  });
});

it("refuses a name that is not kebab-case, with the usage", () => {
  expect(() => generate("detector", "Bad_Name")).toThrow(/usage: pnpm gen:plugin/);
});

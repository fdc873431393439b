#!/usr/bin/env node
// Scaffolds plugins/<kind>-<name> with the same files every plugin has. Usage: gen-plugin.mjs format gguf
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const [kind, name, description = `ModelAudit-TS ${kind} plugin: ${name}`] = process.argv.slice(2);
if (!["format", "detector"].includes(kind) || !/^[a-z0-9-]+$/.test(name ?? "")) {
  console.error("usage: gen-plugin.mjs <format|detector> <kebab-name> [description]");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "../..");
const folder = `${kind}-${name}`;
const dir = path.join(root, "plugins", folder);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(2);
}
mkdirSync(path.join(dir, "src"), { recursive: true });
mkdirSync(path.join(dir, "test"), { recursive: true });
const write = (file, text) => writeFileSync(path.join(dir, file), text);
write(
  "package.json",
  `${JSON.stringify(
    {
      name: `@modelaudit/${folder}`,
      version: "0.1.0",
      description,
      license: "MIT",
      type: "module",
      sideEffects: false,
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: { "./package.json": "./package.json", ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } },
      files: ["dist", "README.md", "CHANGELOG.md"],
      engines: { node: ">=20.19" },
      repository: {
        type: "git",
        url: "https://github.com/modelaudit-ts/modelaudit-ts",
        directory: `plugins/${folder}`,
      },
      publishConfig: { access: "public", provenance: true },
      scripts: { build: "tsup", "type-check": "tsc --noEmit", test: "vitest run" },
      peerDependencies: { "@modelaudit/core": "workspace:>=0.1.0" },
      devDependencies: {
        "@modelaudit/core": "workspace:^",
        "@modelaudit/tsconfig": "workspace:*",
        "@types/node": "^20.19.0",
        tsup: "8.5.1",
        typescript: "5.9.3",
        vitest: "4.1.12",
      },
    },
    null,
    2,
  )}\n`,
);
write("tsconfig.json", `{\n  "extends": "../../tooling/tsconfig/base.json",\n  "include": ["src", "test"]\n}\n`);
write(
  "tsup.config.ts",
  `import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});
`,
);
write(
  "vitest.config.ts",
  `import { defineConfig } from "vitest/config";

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify("0.0.0-test") },
  test: { include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 60_000 },
});
`,
);
write(
  "src/globals.d.ts",
  "/** Replaced at build time by tsup `define` with the package version. */\ndeclare const __PACKAGE_VERSION__: string;\n",
);
write("README.md", `# @modelaudit/${folder}\n\n${description}\n`);
console.log(`created plugins/${folder}; run pnpm install`);

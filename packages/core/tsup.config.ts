import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "engine/index": "src/engine/index.ts",
    "format/index": "src/format/index.ts",
    "detector/index": "src/detector/index.ts",
    "options/index": "src/options/index.ts",
    "testing/index": "src/testing/index.ts",
    "scan-worker": "src/engine/scan-worker.ts",
    "hash-worker": "src/engine/hash-worker.ts",
  },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});

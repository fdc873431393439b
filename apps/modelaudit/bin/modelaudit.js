#!/usr/bin/env node
// modelaudit: static security scanner for machine-learning model files, with every first-party
// format handler and detector (@modelaudit/cli + @modelaudit/preset-recommended).
//
// Exit codes (a contract CI relies on):
//   0  nothing at or above the fail threshold (--fail-on, default: warning)
//   1  findings at or above the fail threshold
//   2  nothing found at or above it, but some file was inconclusive or could not be read;
//      or a usage error (bad flag, bad config, unknown plugin or rule, no paths)
import { readFileSync } from "node:fs";
import module from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Node 22.1+ keeps compiled code of the scanner's modules on disk between runs (start-up); a no-op before.
module.enableCompileCache?.();

const argv = process.argv.slice(2);

// `modelaudit --version` prints the CLI's version (as `run` would) before any module of the scanner loads.
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  const manifest = new URL(import.meta.resolve("@modelaudit/cli/package.json"));
  process.stdout.write(`${JSON.parse(readFileSync(manifest, "utf8")).version}\n`);
} else {
  process.stdout.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
  });
  try {
    const { run } = await import("@modelaudit/cli");
    const { resolvePackage } = await import("@modelaudit/core/engine");
    // Plugins the user's project does not install resolve from this package's dependencies: the
    // default preset, and each first-party plugin a config names, which are the preset's own
    // dependencies (a strict layout such as pnpm's does not put them beside this package).
    const presetDir = path.dirname(fileURLToPath(import.meta.resolve("@modelaudit/preset-recommended")));
    const resolvePlugin = (name) => {
      try {
        return import.meta.resolve(name);
      } catch (error) {
        const file = resolvePackage(name, presetDir);
        if (file === undefined) throw error;
        return pathToFileURL(file).href;
      }
    };
    const { exitCode } = await run(argv, { resolvePlugin });
    process.exitCode = exitCode;
  } catch (error) {
    process.stderr.write(`modelaudit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

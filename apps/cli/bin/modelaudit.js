#!/usr/bin/env node
// modelaudit: static security scanner for machine-learning model files.
//
// Exit codes (a contract CI relies on):
//   0  nothing at or above the fail threshold (--fail-on, default: warning)
//   1  findings at or above the fail threshold
//   2  nothing found at or above it, but some file was inconclusive or could not be read;
//      or a usage error (bad flag, bad config, unknown plugin or rule, no paths)
import { readFileSync } from "node:fs";
import module from "node:module";

// Node 22.1+ keeps compiled code of the scanner's modules on disk between runs (start-up); a no-op before.
module.enableCompileCache?.();

const argv = process.argv.slice(2);

// `modelaudit --version` answers from package.json, before any module of the scanner loads.
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${version}\n`);
} else {
  process.stdout.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
  });
  try {
    const { run } = await import("../dist/cli.js");
    const { exitCode } = await run(argv);
    process.exitCode = exitCode;
  } catch (error) {
    process.stderr.write(`modelaudit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

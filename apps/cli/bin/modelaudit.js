#!/usr/bin/env node
// modelaudit: static security scanner for machine-learning model files.
//
// Exit codes (a contract CI relies on):
//   0  nothing at or above the fail threshold (--fail-on, default: warning)
//   1  findings at or above the fail threshold
//   2  nothing found at or above it, but some file was inconclusive or could not be read;
//      or a usage error (bad flag, bad config, unknown plugin or rule, no paths)
import { run } from "../dist/cli.js";

process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});

try {
  const { exitCode } = await run(process.argv.slice(2));
  process.exitCode = exitCode;
} catch (error) {
  process.stderr.write(`modelaudit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}

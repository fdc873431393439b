import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ExitCode } from "@modelaudit/core/engine";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { HashFlags } from "./hash-command.js";
import type { HashDbFlags } from "./hashdb-command.js";
import { type CliIo, resolveIo } from "./io.js";
import { parseSize } from "./remote/size.js";
import type { ScanFlags } from "./scan-command.js";
import { UsageError } from "./usage-error.js";
import type { VerifyFlags } from "./verify-command.js";
import { CLI_VERSION } from "./version.js";

export type { CliIo, OutputStream } from "./io.js";
export { UsageError } from "./usage-error.js";
export { CLI_VERSION } from "./version.js";

/**
 * Runs the `modelaudit` command with `argv` (without `node` and the script) and returns the exit
 * code: 0 nothing at or above the fail threshold, 1 findings at or above it, 2 nothing found but
 * something inconclusive or failed, or a usage error. Writes only to the given streams.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<{ exitCode: ExitCode }> {
  const context = resolveIo(io);
  let exitCode: ExitCode = 0;

  const program = new Command()
    .name("modelaudit")
    .description("Static security scanner for machine-learning model files. Never loads or runs what it scans.")
    .version(CLI_VERSION, "-V, --version", "print the CLI version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      "\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 inconclusive/error or usage error.",
    );

  program
    .command("scan")
    .description("scan files and directories (content decides the format, not the extension)")
    .argument("<paths...>", "files or directories to scan, hf://org/repo[@revision] or https:// URLs")
    .addOption(
      new Option("-f, --format <format>", "report format (github: GitHub Actions annotations)")
        .choices(["text", "json", "sarif", "github"])
        .default("text"),
    )
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .addOption(
      new Option("--fail-on <severity>", "lowest severity that fails the scan (default: warning)").choices([
        "critical",
        "warning",
        "info",
      ]),
    )
    .option("-c, --config <file>", "JSON config file (default: ./modelaudit.config.json when present)")
    .addOption(
      new Option("--level <level>", "scan depth (default: standard)").choices(["quick", "standard", "thorough"]),
    )
    .option("-q, --quiet", "text: only files with findings or problems, and the summary; no progress bar")
    .option("--verbose", "text: also list every check per file")
    .option("--no-progress", "no progress bar")
    .option("--plugin <name...>", "extra plugins to load (npm names or paths)")
    .option("--disable-rule <id...>", "rule ids to turn off")
    .option("--ignore <pattern...>", "paths not to scan, relative to each scan root (picomatch)")
    .option("--timeout <seconds>", "time limit per file, in seconds", parsePositiveNumber)
    .option(
      "-j, --jobs <threads>",
      "worker threads scanning files in parallel (default: CPU count - 1, at least 1)",
      parsePositiveInteger,
    )
    .option("--cache <dir>", "reuse results of unchanged files (keyed by SHA-256, path, plugin versions and settings)")
    .option("--max-download <size>", "total download cap for hf:// and https:// inputs (default: 20GiB)", parseSize)
    .option("--max-download-file <size>", "download cap per remote file (default: 10GiB)", parseSize)
    .option("--download-dir <dir>", "where remote inputs are downloaded, then deleted (default: the temp dir)")
    .option(
      "--hashdb <file>",
      `known-hash database to look every file and member up in (default: MODELAUDIT_HASHDB, the config, then the user cache's)`,
    )
    .option("--sbom <file>", "write a CycloneDX 1.6 ML-BOM of the scanned model files")
    .option(
      "--trusted-root <file>",
      "Sigstore trusted_root.json for model-signing bundles (default: the shipped public-good root)",
    )
    .option(
      "--signer-identity <id>",
      "accepted signer of model-signing bundles: certificate email or URI (with --signer-issuer)",
    )
    .option("--signer-issuer <url>", "the OIDC issuer of --signer-identity")
    .option(
      "--signing-key <file...>",
      "public keys: PEM (model-signing key bundles) or armored OpenPGP (detached .sig/.asc)",
    )
    .option("--require-signatures", "a file no valid signature covers is a warning")
    .action(async (paths: string[], flags: ScanFlags) => {
      // Each command's modules load when it runs: `--version` and `--help` import none of them.
      const { scanCommand } = await import("./scan-command.js");
      exitCode = await scanCommand(paths, flags, context);
    });

  program
    .command("plugins")
    .description("list the loaded plugins, their format handlers, detectors and rules")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-c, --config <file>", "JSON config file (default: ./modelaudit.config.json when present)")
    .option("--plugin <name...>", "extra plugins to load (npm names or paths)")
    .action(async (flags: { format: "text" | "json"; config?: string; plugin?: string[] }) => {
      const { pluginsCommand } = await import("./plugins-command.js");
      exitCode = await pluginsCommand(flags, context);
    });

  program
    .command("rules")
    .description("list the rules of the loaded plugins, or explain one (what, why, how to fix, references)")
    .argument("[id]", "a rule id such as code-execution/dangerous-global")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-c, --config <file>", "JSON config file (default: ./modelaudit.config.json when present)")
    .option("--plugin <name...>", "extra plugins to load (npm names or paths)")
    .action(async (id: string | undefined, flags: { format: "text" | "json"; config?: string; plugin?: string[] }) => {
      const { rulesCommand } = await import("./rules-command.js");
      exitCode = await rulesCommand(id, flags, context);
    });

  program
    .command("hash")
    .description("write a manifest: SHA-256 and SHA-512 of every file and archive member (read once, as a scan reads)")
    .argument("<paths...>", "a model folder, or files")
    .option("-o, --output <file>", "write the manifest to a file instead of stdout")
    .option("--no-members", "only whole files, not archive members")
    .option("-c, --config <file>", "JSON config file (default: ./modelaudit.config.json when present)")
    .option("--plugin <name...>", "extra plugins to load (npm names or paths)")
    .option("-j, --jobs <threads>", "worker threads (default: CPU count)", parsePositiveInteger)
    .action(async (paths: string[], flags: HashFlags) => {
      const { hashCommand } = await import("./hash-command.js");
      exitCode = await hashCommand(paths, flags, context);
    });

  program
    .command("verify")
    .description("compare a model folder with a manifest or a model-signing bundle: added, removed, changed files")
    .argument("<dir>", "the model folder")
    .requiredOption("--manifest <file>", "a `modelaudit hash` manifest, or an OpenSSF model-signing bundle (model.sig)")
    .option("--trusted-root <file>", "Sigstore trusted_root.json for a model-signing bundle (default: public-good)")
    .option("--signer-identity <id>", "accepted signer of the bundle: certificate email or URI (with --signer-issuer)")
    .option("--signer-issuer <url>", "the OIDC issuer of --signer-identity")
    .option("--signing-key <file...>", "PEM public key of a key-signed bundle")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-c, --config <file>", "JSON config file (default: ./modelaudit.config.json when present)")
    .option("--plugin <name...>", "extra plugins to load (npm names or paths)")
    .option("-j, --jobs <threads>", "worker threads (default: CPU count)", parsePositiveInteger)
    .action(async (directory: string, flags: VerifyFlags) => {
      const { verifyCommand } = await import("./verify-command.js");
      exitCode = await verifyCommand(directory, flags, context);
    });

  const hashdb = program
    .command("hashdb")
    .description("the known-hash database: import feeds of known-malicious and known-benign SHA-256 digests");
  hashdb
    .command("import")
    .description(
      "add feeds: CSV with the header sha256,verdict,source[,ssdeep] (verdict malicious or benign; the optional ssdeep column lets near-copies match), or a JSON array",
    )
    .argument("<feeds...>", "feed files")
    .option("--hashdb <file>", "the database (default: MODELAUDIT_HASHDB, the config, then the user cache's)")
    .option("-c, --config <file>", "JSON config file whose options.supply-chain.hashdb names the database")
    .action(async (feeds: string[], flags: HashDbFlags) => {
      const { hashDbImportCommand } = await import("./hashdb-command.js");
      exitCode = await hashDbImportCommand(feeds, flags, context);
    });
  hashdb
    .command("stats")
    .description("count the database's entries by verdict and source")
    .option("--hashdb <file>", "the database (default: MODELAUDIT_HASHDB, the config, then the user cache's)")
    .option("-c, --config <file>", "JSON config file whose options.supply-chain.hashdb names the database")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (flags: HashDbFlags) => {
      const { hashDbStatsCommand } = await import("./hashdb-command.js");
      exitCode = await hashDbStatsCommand(flags, context);
    });

  // The scanning service and its queue workers; their options belong to @modelaudit/server (`serve --help`).
  for (const [name, description] of [
    ["serve", "run the scanning service (HTTP API v1; see `modelaudit serve --help`)"],
    ["worker", "run scans from the service's Redis queue (see `modelaudit worker --help`)"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async (_flags: unknown, command: Command) => {
        const { serviceCommand } = await import("./service-command.js");
        exitCode = await serviceCommand(name, command.args, context);
      });
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
    return { exitCode };
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written its message or the help text.
      const informational = error.code === "commander.helpDisplayed" || error.code === "commander.version";
      return { exitCode: informational ? 0 : 2 };
    }
    if (UsageError.isInstance(error)) {
      context.stderr.write(`modelaudit: ${error.message}\n`);
      return { exitCode: 2 };
    }
    // A bug, not bad input (the engine never throws for bad model files): fail closed with exit 2.
    context.stderr.write(
      `modelaudit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return { exitCode: 2 };
  }
}

function parsePositiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError("expected a positive number of seconds");
  return parsed;
}

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // A closed pipe (`modelaudit scan . | head`) is not an error worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  run(process.argv.slice(2)).then(({ exitCode }) => {
    process.exitCode = exitCode;
  });
}

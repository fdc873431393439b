import path from "node:path";
import { parseArgs } from "node:util";
import { buildServer } from "./build-server.js";
import { EngineSetupError } from "./load-engine.js";
import { SERVER_VERSION } from "./version.js";

const USAGE = `Usage: modelaudit-server [options]

HTTP scanning service: POST /scans (multipart \`file\` parts), GET /scans, GET /scans/:id,
GET /scans/:id/report?format=json|sarif|text, GET /plugins, GET /health.

Options:
  --port <n>                  port to listen on (default 8080; 0 picks a free one)
  --host <address>            address to bind (default 127.0.0.1)
  --data-dir <dir>            results and in-flight uploads (default ./modelaudit-data)
  -c, --config <file>         JSON config file, as for \`modelaudit scan --config\`
  --max-upload-bytes <n>      largest single uploaded file (default 10 GiB)
  --max-concurrent-scans <n>  scans at once; further requests wait (default: CPU count)
  -V, --version               print the version
  -h, --help                  print this help
`;

export interface MainIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Starts the server from command-line arguments and resolves once it listens; exit code 2 (with a
 * message) for bad arguments or a config that does not load, as the CLI does.
 */
export async function main(
  argv: readonly string[],
  io: MainIo,
): Promise<{ exitCode: 0 | 2; close?: () => Promise<void> }> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (error) {
    io.stderr.write(`modelaudit-server: ${(error as Error).message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return { exitCode: 0 };
  }
  if (values.version) {
    io.stdout.write(`${SERVER_VERSION}\n`);
    return { exitCode: 0 };
  }

  let port: number;
  let maxUploadBytes: number | undefined;
  let maxConcurrentScans: number | undefined;
  try {
    port = integerOption(values.port ?? "8080", "--port", 0);
    if (port > 65_535) throw new Error("--port must be at most 65535");
    if (values["max-upload-bytes"] !== undefined) {
      maxUploadBytes = integerOption(values["max-upload-bytes"], "--max-upload-bytes", 1);
    }
    if (values["max-concurrent-scans"] !== undefined) {
      maxConcurrentScans = integerOption(values["max-concurrent-scans"], "--max-concurrent-scans", 1);
    }
  } catch (error) {
    io.stderr.write(`modelaudit-server: ${(error as Error).message}\n`);
    return { exitCode: 2 };
  }

  const dataDir = path.resolve(values["data-dir"] ?? "modelaudit-data");
  const app = buildServer({
    dataDir,
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    ...(maxConcurrentScans !== undefined ? { maxConcurrentScans } : {}),
  });
  try {
    await app.listen({ port, host: values.host ?? "127.0.0.1" });
  } catch (error) {
    const message = error instanceof EngineSetupError ? error.message : (error as Error).message;
    io.stderr.write(`modelaudit-server: ${message}\n`);
    await app.close().catch(() => undefined);
    return { exitCode: 2 };
  }
  const address = app.server.address();
  const where =
    typeof address === "object" && address !== null
      ? `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`
      : String(address);
  io.stdout.write(`modelaudit-server ${SERVER_VERSION} listening on ${where} (data: ${dataDir})\n`);
  return { exitCode: 0, close: () => app.close() };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      config: { type: "string", short: "c" },
      "max-upload-bytes": { type: "string" },
      "max-concurrent-scans": { type: "string" },
      version: { type: "boolean", short: "V" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}

function integerOption(value: string, name: string, minimum: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < minimum) {
    throw new Error(`${name} expects an integer of at least ${minimum}, got "${value}"`);
  }
  return parsed;
}

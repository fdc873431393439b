import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

// A .tar.gz whose inner tar is larger than the in-memory limit (lowered to 4 MiB by the config, so
// the archive stays small): gzip is decoded as a stream past memory and the tar read to its end, so
// the payload in its last member is found and nothing is inconclusive.
const IN_MEMORY_LIMIT = 4 * 1024 * 1024;
/** A protocol-0 pickle that calls os.system (harmless command): what the scan must reach. */
const PAYLOAD = Buffer.from("cos\nsystem\n(S'echo streamed'\ntR.", "latin1");

let directory: string;
let archive: string;
let config: string;

/** One ustar header block for a regular file. */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  header.write(
    `${Math.floor(Date.UTC(2026, 0, 1) / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
  );
  header.write("        ", 148);
  header.write("0", 156);
  header.write("ustar\0", 257);
  header.write("00", 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

/** The tar, generated member by member into gzip (never whole in memory here either). */
async function* tarStream(): AsyncGenerator<Buffer> {
  const memberSize = 512 * 1024;
  for (let index = 0; index < 20; index++) {
    yield tarHeader(`model/blob-${index}.dat`, memberSize);
    yield randomBytes(memberSize);
  }
  yield tarHeader("model/payload.pkl", PAYLOAD.length);
  yield Buffer.concat([PAYLOAD, Buffer.alloc(512 - PAYLOAD.length)]);
  yield Buffer.alloc(1024);
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-targz-"));
  archive = path.join(directory, "model.tar.gz");
  await pipeline(tarStream(), createGzip({ level: 1 }), createWriteStream(archive));
  config = path.join(directory, "modelaudit.config.json");
  await writeFile(config, JSON.stringify({ limits: { maxInMemoryBytes: IN_MEMORY_LIMIT } }));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("a .tar.gz larger than the in-memory limit", () => {
  it("is decoded as a stream and its tar read to the last member, at every level", async () => {
    for (const level of ["quick", "standard"]) {
      const result = await runCli(["scan", archive, "--config", config, "--level", level, "--format", "json", "-q"], {
        cwd: directory,
      });
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout);
      expect(report.files[0].reasons).toEqual([]);
      expect(report.files[0].members).toBeGreaterThanOrEqual(22);
      expect(
        report.findings.some(
          (finding: { ruleId: string; memberChain: string[] }) =>
            finding.ruleId.startsWith("code-execution/") && finding.memberChain.at(-1) === "model/payload.pkl",
        ),
      ).toBe(true);
      expect(result.exitCode).toBe(1);
    }
  });
});

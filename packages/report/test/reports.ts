import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { scanBytes, scanPaths } from "@modelaudit/core/testing";
import { encode, testPlugin } from "./test-plugin.js";

/** Real reports from the engine, one per case the reporters must handle. */
export async function buildReports(): Promise<
  Record<"clean" | "findings" | "inconclusive" | "error" | "mixed" | "skipped", Report>
> {
  const clean = await scanBytes("clean.test", encode("TEST\ntext fine\ntext also fine\n"), [testPlugin]);
  const findings = await scanBytes(
    "findings.test",
    encode("TEST\ntext this is BAD\ntext ODD one\nmember inner.bin nested BAD\n"),
    [testPlugin],
  );
  const inconclusive = await scanBytes("broken.test", encode("TEST\ntext fine\ntruncated\n"), [testPlugin]);
  const error = await scanPaths([path.join(tmpdir(), "modelaudit-missing", "nope.test")], [testPlugin]);

  const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-report-"));
  try {
    await writeFile(path.join(directory, "a-clean.test"), encode("TEST\ntext fine\n"));
    await writeFile(path.join(directory, "b-bad.test"), encode("TEST\ntext BAD\x1b[31m\n"));
    await writeFile(path.join(directory, "c-broken.test"), encode("TEST\ntruncated\n"));
    await writeFile(path.join(directory, "d-unknown.dat"), encode("not a test file"));
    const mixed = await scanPaths([directory], [testPlugin]);

    // One clean file and everything the walk passes over: an ignored directory, an empty one, a
    // link to a directory (not followed) and a dangling link.
    const passedOver = path.join(directory, "passed-over");
    await mkdir(path.join(passedOver, "cache"), { recursive: true });
    await mkdir(path.join(passedOver, "empty"));
    await writeFile(path.join(passedOver, "a-clean.test"), encode("TEST\ntext fine\n"));
    await writeFile(path.join(passedOver, "cache", "x.test"), encode("TEST\ntext BAD\n"));
    await symlink(path.join(passedOver, "cache"), path.join(passedOver, "linked"));
    await symlink("gone.pkl", path.join(passedOver, "dangling.pkl"));
    const skipped = await scanPaths([passedOver], [testPlugin], { ignore: ["cache"] });
    return { clean, findings, inconclusive, error, mixed, skipped };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export const REMOTE_COMMIT = "0123456789abcdef0123456789abcdef01234567";

/**
 * The findings report as the CLI writes it for `hf://acme/model@main`: files named by URI at the
 * commit scanned, and the source recorded.
 */
export function asRemote(report: Report): Report {
  const prefix = `hf://acme/model@${REMOTE_COMMIT}/`;
  const rename = (file: string) => prefix + path.basename(file);
  return {
    ...report,
    sources: [
      {
        input: "hf://acme/model@main",
        kind: "huggingface",
        url: "https://huggingface.co/acme/model",
        revision: "main",
        commit: REMOTE_COMMIT,
      },
    ],
    files: report.files.map((file) => ({ ...file, path: rename(file.path) })),
    findings: report.findings.map((finding) => ({ ...finding, file: rename(finding.file) })),
    checks: report.checks.map((check) => ({ ...check, file: rename(check.file) })),
  };
}

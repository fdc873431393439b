import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { seededRandom } from "@modelaudit/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { CLEAN, runCli, workspace } from "./harness.js";

// Issue 15, "nothing unexplained": what no handler reads is clean only when nothing says it is a
// model, and what the walk passes over is named with why, in every report format.

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** A folder with no config, so the CLI loads the recommended preset as a user's first scan does. */
async function folder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-unexplained-"));
  directories.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/** A FIFO made by the system's mkfifo (Node has no API for it); false where there is none. */
function makeFifo(filePath: string): boolean {
  try {
    execFileSync("mkfifo", [filePath], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface JsonFile {
  path: string;
  outcome: string;
  reasons: string[];
}

describe("content no handler claims, with the recommended preset", () => {
  it("is inconclusive when the name says model (random bytes, empty files), clean when it says text", async () => {
    const dir = await folder({
      "model.pkl": randomBytes(4096, 15),
      "model.safetensors": "",
      "pytorch_model.bin": "",
      "notes.txt": "training notes: nothing to see\n",
    });
    const text = await runCli(["scan", "--no-progress", "."], { cwd: dir });
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toContain(
      "model.pkl  [unrecognised]  inconclusive\n  ! no format handler recognises the content of model.pkl, but its name says it is a model file (.pkl)",
    );
    expect(text.stdout).toContain(
      "model.safetensors  [unrecognised]  inconclusive\n  ! model.safetensors is empty, but its name says it is a model file",
    );
    expect(text.stdout).toContain(
      "pytorch_model.bin  [unrecognised]  inconclusive\n  ! pytorch_model.bin is empty, but its name says it is a model file",
    );

    const json = JSON.parse((await runCli(["scan", "--no-progress", "--format", "json", "."], { cwd: dir })).stdout);
    const outcomes = Object.fromEntries(
      (json.files as JsonFile[]).map((file) => [path.basename(file.path), file.outcome]),
    );
    expect(outcomes).toEqual({
      "model.pkl": "inconclusive",
      "model.safetensors": "inconclusive",
      "notes.txt": "clean",
      "pytorch_model.bin": "inconclusive",
    });

    const sarif = JSON.parse((await runCli(["scan", "--no-progress", "--format", "sarif", "."], { cwd: dir })).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as {
      descriptor: { id: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(
      notes
        .filter((note) => note.descriptor.id === "modelaudit/inconclusive")
        .map((note) => note.locations[0]?.physicalLocation.artifactLocation.uri)
        .sort(),
    ).toEqual(["model.pkl", "model.safetensors", "pytorch_model.bin"]);
  });
});

describe("special files, in every report format", () => {
  it("lists a FIFO below a scanned folder as skipped with why (text, JSON, SARIF), never opening it", async (context) => {
    const { dir, config } = await workspace({ "a.test": CLEAN });
    if (!makeFifo(path.join(dir, "pipe.pkl"))) context.skip();
    const reason = "FIFO (named pipe), not a regular file: never opened";
    const text = await runCli(["scan", dir, "--config", config], { cwd: dir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`  - ${path.join(dir, "pipe.pkl")}  ${reason}`);
    const json = JSON.parse((await runCli(["scan", dir, "--config", config, "--format", "json"], { cwd: dir })).stdout);
    expect(json.skipped).toEqual([{ path: path.join(dir, "pipe.pkl"), reason }]);
    const sarif = JSON.parse(
      (await runCli(["scan", dir, "--config", config, "--format", "sarif"], { cwd: dir })).stdout,
    );
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as {
      descriptor: { id: string };
      message: { text: string };
    }[];
    expect(notes.map((note) => note.descriptor.id)).toEqual(["modelaudit/skipped"]);
    expect(notes[0]?.message.text).toContain(reason);
  });

  it.runIf(existsSync("/dev/zero"))("says why /dev/zero was not read, in JSON and SARIF too", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN });
    const reason = "character device, not a regular file: never opened";
    const json = JSON.parse(
      (await runCli(["scan", "/dev/zero", "--config", config, "--format", "json"], { cwd: dir })).stdout,
    );
    expect((json.files as JsonFile[]).map((file) => [file.path, file.outcome, file.reasons])).toEqual([
      ["/dev/zero", "inconclusive", [reason]],
    ]);
    const sarif = JSON.parse(
      (await runCli(["scan", "/dev/zero", "--config", config, "--format", "sarif"], { cwd: dir })).stdout,
    );
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as {
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(notes.map((note) => [note.message.text, note.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual([
      [`inconclusive: ${reason}`, "file:///dev/zero"],
    ]);
  });
});

describe("--ignore and the config's ignore", () => {
  it("match paths relative to each scan root, not to the working directory", async () => {
    const { dir, config } = await workspace({});
    for (const root of ["first", "second"]) {
      await mkdir(path.join(dir, root, "tests"), { recursive: true });
      await writeFile(path.join(dir, root, "tests", "fixture.test"), CLEAN);
      await writeFile(path.join(dir, root, "model.test"), CLEAN);
    }
    // `tests/**` names the folder under each root; `first/**` would be relative to the working
    // directory and matches nothing below either root.
    const result = await runCli(
      ["scan", "first", "second", "--config", config, "--format", "json", "--ignore", "tests/**", "first/**"],
      { cwd: dir },
    );
    const json = JSON.parse(result.stdout);
    const relative = (file: { path: string }) => path.relative(dir, file.path);
    expect((json.files as JsonFile[]).map(relative)).toEqual(["first/model.test", "second/model.test"]);
    expect(json.skipped.map((entry: { path: string; reason: string }) => [relative(entry), entry.reason])).toEqual([
      // `tests/**` matches the folder itself (as in .gitignore), so it is not entered.
      ["first/tests", 'ignored by pattern "tests/**"'],
      ["second/tests", 'ignored by pattern "tests/**"'],
    ]);
  });
});

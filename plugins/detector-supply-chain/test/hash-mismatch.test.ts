import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinCandidates, pinsFor } from "../src/hash-pins.js";
import plugin from "../src/index.js";
import { readOptions } from "../src/options.js";
import { encode, summary, supplyChainOptions, withHandlers } from "./helpers.js";

const MODEL = encode("weights that were pinned when the model was reviewed\n");
const DIGEST = createHash("sha256").update(MODEL).digest("hex");
const OTHER = "f".repeat(64);

let directory: string;
let model: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "supply-chain-pins-"));
  await writeFile(path.join(directory, "model.safetensors"), MODEL);
  model = path.join(directory, "model.safetensors");
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("supply-chain/hash-mismatch", () => {
  const table: [string, Record<string, unknown>, [string, string, string][]][] = [
    ["no pins", {}, []],
    ["a base-name pin that holds", { "model.safetensors": DIGEST }, []],
    ["a glob pin that holds, sha256: prefix and upper case", { "*.safetensors": `sha256:${DIGEST.toUpperCase()}` }, []],
    ["a list of accepted digests that includes the file's", { "model.*": [OTHER, DIGEST] }, []],
    ["a pin for other files only", { "*.gguf": OTHER }, []],
    [
      "a base-name pin that fails",
      { "model.safetensors": OTHER },
      [["supply-chain/hash-mismatch", "critical", "mismatch"]],
    ],
    [
      "a **/ path pin that fails",
      { "**/model.safetensors": OTHER },
      [["supply-chain/hash-mismatch", "critical", "mismatch"]],
    ],
    [
      "two matching pins, one failing",
      { "*.safetensors": DIGEST, "model.safetensors": OTHER },
      [["supply-chain/hash-mismatch", "critical", "mismatch"]],
    ],
  ];
  for (const [name, expectedSha256, findings] of table) {
    it(`${name}: ${findings.length > 0 ? findings.map((finding) => finding[0]).join(", ") : "passes"}`, async () => {
      const report = await scanPaths([model], [plugin], supplyChainOptions({ expectedSha256 }));
      expect(summary(report)).toEqual(findings);
      const check = report.checks.find((item) => item.ruleId === "supply-chain/hash-mismatch");
      if (findings.length > 0) expect(check?.status).toBe("failed");
    });
  }

  it("the message names the pattern, the pinned and the actual digest", async () => {
    const report = await scanPaths(
      [model],
      [plugin],
      supplyChainOptions({ expectedSha256: { "*.safetensors": OTHER } }),
    );
    expect(report.findings[0]!.message).toBe(
      `the file's SHA-256 is ${DIGEST}, but *.safetensors pins ${OTHER}: the file was modified or substituted`,
    );
    expect(report.summary.exitCode).toBe(1);
  });

  it("the quick level computes no digest: pins are not checked (documented: pins need standard or thorough)", async () => {
    const report = await scanPaths([model], [plugin], {
      level: "quick",
      ...supplyChainOptions({ expectedSha256: { "*.safetensors": OTHER } }),
    });
    expect(report.findings).toEqual([]);
  });

  describe("a Git LFS pointer where a pinned file should be", () => {
    const pointerTo = (oid: string) =>
      encode(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${MODEL.length}\n`);

    it("pointing to the pinned object: a warning (weights missing, not changed)", async () => {
      await writeFile(path.join(directory, "pointer.safetensors"), pointerTo(DIGEST));
      const report = await scanPaths([path.join(directory, "pointer.safetensors")], [...withHandlers], {
        ...supplyChainOptions({ expectedSha256: { "*.safetensors": DIGEST } }),
      });
      expect(summary(report).sort()).toEqual([
        ["supply-chain/hash-mismatch", "warning", "pointerToPinned"],
        ["supply-chain/lfs-pointer", "warning", "lfsPointer"],
      ]);
    });

    it("pointing to another object: critical (the repository's model was substituted)", async () => {
      await writeFile(path.join(directory, "swapped.safetensors"), pointerTo(OTHER));
      const report = await scanPaths([path.join(directory, "swapped.safetensors")], [...withHandlers], {
        ...supplyChainOptions({ expectedSha256: { "*.safetensors": DIGEST } }),
      });
      expect(summary(report).sort()).toEqual([
        ["supply-chain/hash-mismatch", "critical", "pointerToOther"],
        ["supply-chain/lfs-pointer", "warning", "lfsPointer"],
      ]);
      expect(report.findings.find((finding) => finding.messageId === "pointerToOther")!.message).toContain(OTHER);
    });
  });
});

describe("pin matching", () => {
  const cwd = "/work/project";
  const pins = (patterns: Record<string, string>) => readOptions({ expectedSha256: patterns }).expectedSha256;

  it("matches the path relative to the working directory, the base name and the absolute path", () => {
    expect(pinCandidates("/work/project/models/llama/model.bin", cwd)).toEqual([
      "models/llama/model.bin",
      "model.bin",
      "/work/project/models/llama/model.bin",
    ]);
    expect(pinCandidates("models/model.bin", cwd)).toEqual([
      "models/model.bin",
      "model.bin",
      "/work/project/models/model.bin",
    ]);
  });

  const table: [string, string, boolean][] = [
    ["models/llama/model.bin", "models/llama/model.bin", true],
    ["models/*/model.bin", "models/llama/model.bin", true],
    ["models/**", "models/llama/model.bin", true],
    ["model.bin", "models/llama/model.bin", true],
    ["*.bin", "models/llama/model.bin", true],
    ["llama/model.bin", "models/llama/model.bin", false],
    ["models/model.bin", "models/llama/model.bin", false],
    ["*.safetensors", "models/llama/model.bin", false],
    ["/work/project/models/**/*.bin", "models/llama/model.bin", true],
  ];
  for (const [pattern, file, matches] of table) {
    it(`${pattern} ${matches ? "matches" : "does not match"} ${file}`, () => {
      expect(pinsFor(path.join(cwd, file), pins({ [pattern]: DIGEST }), cwd).length).toBe(matches ? 1 : 0);
    });
  }
});

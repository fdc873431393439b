import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, describe, expect, it } from "vitest";

/**
 * A file large enough to hash on the hashing thread, which then also searches each chunk for the
 * strings channel's printable blocks (the byte pass takes a search over when it gets there first;
 * core's file-hash test pins the thread's side). Keys planted in one tensor's data, inside a chunk,
 * across a chunk's 1 MiB kernel pieces, across the 4 MiB chunks of the pass and in the last bytes,
 * are each found once.
 */

const MiB = 1024 * 1024;
/** Files from this size on hash on the hashing thread (core's OFFLOAD_BYTES). */
const OFFLOAD_BYTES = 32 * MiB;
const ROOT = path.resolve(import.meta.dirname, "../../..");
const built = async (name: string): Promise<Plugin> =>
  (await import(pathToFileURL(path.join(ROOT, "plugins", name, "dist/index.js")).href)).default as Plugin;
const TOKENS = [
  "ghp_Q8m2ZxT4kLp9Rw7VnB3cY6dHs1JfA0gKe5Ut",
  "ghp_7HbT2kQ9mZ4xLw8RcV1nYs6DfJ3pA5gUe0Kt",
  "ghp_Lk3Vb8Qm1Zx7Rt4Nw9Cy2Hs6Df0Jp5Ag8Ue3K",
  "ghp_Xc5Rt1Vb9Qm3Zk7Lw2Ny8Hs4Df6Jp0Ag1Ue9T",
];

describe("the strings channel on a file hashed on its own thread", () => {
  let directory = "";
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it("finds every key in the tensor data, across chunk and piece edges, once", async () => {
    directory = await mkdtemp(path.join(tmpdir(), "modelaudit-large-"));
    const dataBytes = 40 * MiB;
    expect(dataBytes).toBeGreaterThan(OFFLOAD_BYTES);
    const header = Buffer.from(
      JSON.stringify({ w: { dtype: "F32", shape: [dataBytes / 4], data_offsets: [0, dataBytes] } }),
    );
    const padded = Buffer.concat([header, Buffer.alloc((8 - (header.length % 8)) % 8, 0x20)]);
    const start = 8 + padded.length;
    const file = Buffer.alloc(start + dataBytes);
    file.writeBigUInt64LE(BigInt(padded.length), 0);
    padded.copy(file, 8);
    // Small weights: their bytes hardly ever make 16 printable ones in a row.
    const weights = new Float32Array(file.buffer, file.byteOffset + start, dataBytes / 4);
    let seed = 7;
    for (let index = 0; index < weights.length; index++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      weights[index] = (seed / 2 ** 32 - 0.5) * 0.05;
    }
    // File offsets: inside a chunk, across a kernel piece (5 MiB), across a pass chunk (8 MiB), at the end.
    const offsets = [start + 1_000_003, 5 * MiB - 17, 8 * MiB - 21, file.length - TOKENS[3]!.length];
    TOKENS.forEach((token, index) => {
      const at = offsets[index]!;
      file[at - 1] = 0;
      file.write(token, at, "latin1");
      if (at + token.length < file.length) file[at + token.length] = 0;
    });
    const model = path.join(directory, "model.safetensors");
    await writeFile(model, file);

    const plugins = await Promise.all(["format-safetensors", "detector-secrets"].map(built));
    const report = await scanPaths([model], plugins, { level: "thorough" });
    const found = report.findings.filter((finding) => finding.ruleId === "secrets/github-token");
    expect(found).toHaveLength(TOKENS.length);
    expect(report.files[0]?.outcome).toBe("findings");
  });
});

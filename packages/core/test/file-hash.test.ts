import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFileHash, OFFLOAD_BYTES } from "../src/engine/file-hash.js";
import { seededRandom } from "../src/testing/random.js";

// The built worker script (tests run after the build); from sources alone the hash runs inline.
const builtWorker = new URL("../dist/hash-worker.js", import.meta.url);

async function digestOf(chunks: Uint8Array[], size: number, workerUrl?: URL): Promise<string> {
  const hash = createFileHash(size, workerUrl);
  for (const chunk of chunks) {
    await hash.update(chunk);
    chunk.fill(0); // the pass reuses its buffers: the hash must have taken its copy already
  }
  return (await hash.digest()).sha256;
}

describe("the file hash", () => {
  const random = seededRandom(3);
  const makeChunks = () =>
    Array.from({ length: 12 }, (_, index) =>
      Uint8Array.from({ length: 1000 + index * 7919 }, () => Math.floor(random() * 256)),
    );

  it("is the SHA-256 of the chunks, on the hashing thread for large files", async () => {
    const chunks = makeChunks();
    const expected = createHash("sha256");
    for (const chunk of chunks) expected.update(chunk);
    const hex = expected.digest("hex");
    expect(
      await digestOf(
        chunks.map((chunk) => chunk.slice()),
        OFFLOAD_BYTES,
        builtWorker,
      ),
    ).toBe(hex);
    // Two files at once share the thread without mixing their bytes.
    const [first, second] = await Promise.all([
      digestOf(
        chunks.map((chunk) => chunk.slice()),
        OFFLOAD_BYTES,
        builtWorker,
      ),
      digestOf(chunks.map((chunk) => chunk.slice()).reverse(), OFFLOAD_BYTES, builtWorker),
    ]);
    expect(first).toBe(hex);
    expect(second).not.toBe(hex);
    // Small files, and runs without the built worker, hash inline to the same value.
    expect(
      await digestOf(
        chunks.map((chunk) => chunk.slice()),
        10,
      ),
    ).toBe(hex);
    expect(
      await digestOf(
        chunks.map((chunk) => chunk.slice()),
        OFFLOAD_BYTES,
        new URL("./missing-worker.js", builtWorker),
      ),
    ).toBe(hex);
  });

  it("adds SHA-512 of the same chunks when asked, inline and on the hashing thread", async () => {
    const chunks = makeChunks();
    const sha256 = createHash("sha256");
    const sha512 = createHash("sha512");
    for (const chunk of chunks) {
      sha256.update(chunk);
      sha512.update(chunk);
    }
    const expected = { sha256: sha256.digest("hex"), sha512: sha512.digest("hex") };
    for (const size of [10, OFFLOAD_BYTES]) {
      const hash = createFileHash(size, builtWorker, ["sha256", "sha512"]);
      for (const chunk of chunks.map((item) => item.slice())) {
        await hash.update(chunk);
        chunk.fill(0);
      }
      expect(await hash.digest()).toEqual(expected);
    }
  });
});

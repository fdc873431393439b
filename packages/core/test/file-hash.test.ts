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
  return hash.digest();
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
});

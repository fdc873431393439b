import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFileHash, OFFLOAD_BYTES } from "../src/engine/file-hash.js";
import { BlockScanJob, PrintableBlocks } from "../src/engine/printable-blocks.js";
import { KernelMemory } from "../src/engine/wasm-kernel.js";
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

  it("hashes chunks read into the buffers it lends without copying them, and lends each again only once hashed", async () => {
    const chunks = makeChunks();
    const expected = createHash("sha256");
    for (const chunk of chunks) expected.update(chunk);
    const hex = expected.digest("hex");
    const hash = createFileHash(OFFLOAD_BYTES, builtWorker);
    expect(hash.buffer).toBeDefined();
    // As the byte pass does: read chunk n + 1 into a lent buffer while chunk n is processed, then
    // post n. A buffer lent again while the thread still hashed it would be overwritten under it
    // (each chunk's bytes differ): the digest would not match.
    let next = hash.buffer!(chunks[0]!.length);
    next.set(chunks[0]!);
    for (let index = 0; index < chunks.length; index++) {
      const chunk = next;
      if (index + 1 < chunks.length) {
        next = hash.buffer!(chunks[index + 1]!.length);
        next.set(chunks[index + 1]!);
      }
      await hash.update(chunk);
    }
    expect((await hash.digest()).sha256).toBe(hex);
    // The buffers are areas of the thread's KernelMemory, where kernels read chunks in place.
    expect(KernelMemory.get()!.holds(next)).toBe(true);
    // A lent buffer's chunk that does not start at its beginning is copied, as any chunk is.
    const copied = createFileHash(OFFLOAD_BYTES, builtWorker);
    const lent = copied.buffer!(chunks[1]!.length + 5);
    lent.set(chunks[1]!, 5);
    await copied.update(lent.subarray(5));
    lent.fill(0);
    expect((await copied.digest()).sha256).toBe(createHash("sha256").update(chunks[1]!).digest("hex"));
  });

  it("lends areas of the KernelMemory again once they are free, before buffers of its own", async () => {
    const memory = KernelMemory.get()!;
    const [chunk] = makeChunks();
    const taken: Uint8Array[] = [];
    for (let area = memory.chunk(64); area !== null; area = memory.chunk(64)) taken.push(area);
    // Every area out (other large files being read): the chunk goes to a buffer of the thread's own.
    const first = createFileHash(OFFLOAD_BYTES, builtWorker);
    const plain = first.buffer!(chunk!.length);
    expect(memory.holds(plain)).toBe(false);
    plain.set(chunk!);
    await first.update(plain);
    await first.digest();
    for (const area of taken) memory.giveBack(area);
    // Areas free again: the next file reads into one (its kernels read in place), not the spare buffer.
    const second = createFileHash(OFFLOAD_BYTES, builtWorker);
    const next = second.buffer!(chunk!.length);
    expect(memory.holds(next)).toBe(true);
    next.set(chunk!);
    await second.update(next);
    expect((await second.digest()).sha256).toBe(createHash("sha256").update(chunk!).digest("hex"));
  });

  it.runIf(PrintableBlocks.get() !== null)(
    "finds a chunk's printable blocks on the hashing thread when the byte pass leaves the search to it",
    async () => {
      const kernel = PrintableBlocks.get()!;
      const random = seededRandom(23);
      // Noise with printable stretches, across the kernel's 1 MiB pieces, and a last lone block.
      const chunk = Uint8Array.from({ length: 2 * 1024 * 1024 + 9 }, () => Math.floor(random() * 256));
      for (const at of [40, 1024 * 1024 - 11, 1_500_001, chunk.length - 9]) chunk.fill(0x41, at, at + 9);
      const expected = new Int32Array(chunk.length / 8);
      const count = kernel.scan(chunk, expected);
      expect(count).toBeGreaterThan(3);

      const job = new BlockScanJob(chunk.length);
      const hash = createFileHash(OFFLOAD_BYTES, builtWorker);
      expect(hash.threaded).toBe(true);
      const generation = job.open();
      await hash.update(chunk, { job, generation });
      await hash.digest();
      // The thread has read every update by now: it claimed the search and finished it.
      expect(new Int32Array(job.buffer)[0]).toBe(generation * 4 + 2);
      const { blocks, reusable } = job.result(chunk, kernel);
      expect(reusable).toBe(true);
      expect(Array.from(blocks.blocks.subarray(0, blocks.count))).toEqual(Array.from(expected.subarray(0, count)));

      // A message about a job since opened again (a later chunk) claims nothing: the byte pass scans.
      const stale = job.open();
      job.open();
      BlockScanJob.run(job.buffer, stale, chunk.subarray(0, 64), kernel);
      const own = job.result(chunk, kernel).blocks;
      expect(own.count).toBe(count);
      // Inline hashing takes no search.
      expect(createFileHash(10, builtWorker).threaded).toBe(false);
    },
  );
});

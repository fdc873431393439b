import { describe, expect, it } from "vitest";
import { BlockScanJob, PrintableBlocks, printableAscii } from "../src/engine/printable-blocks.js";
import { PrintableStringExtractor } from "../src/engine/printable-strings.js";
import type { PrintableString } from "../src/plugin.js";
import { seededRandom } from "../src/testing/random.js";

const kernel = PrintableBlocks.get();

/** Every 8-byte block from the first byte whose bytes are all printable ASCII, one byte at a time. */
function blocksByHand(bytes: Uint8Array): number[] {
  const blocks: number[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) if (printableAscii(bytes, at, 8)) blocks.push(at / 8);
  return blocks;
}

/** Float noise with printable stretches of every length around 16, some across 1 MiB and at the end. */
function mixedBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(
    new Float32Array(Math.ceil(length / 4)).map(() => (random() - 0.5) * 0.1).buffer,
    0,
    length,
  );
  for (let at = 5; at < length - 64; at += 1000 + Math.floor(random() * 40_000)) {
    const run = 8 + Math.floor(random() * 40);
    for (let index = 0; index < run; index++) bytes[at + index] = 0x20 + Math.floor(random() * 95);
    bytes[at + Math.floor(random() * run)] = random() < 0.5 ? 0x0a : 0x09;
  }
  for (const at of [1024 * 1024 - 13, 2 * 1024 * 1024 - 3, length - 20]) bytes.fill(0x61, at, at + 20);
  return bytes;
}

describe.runIf(kernel !== null)("the printable-blocks search of a whole chunk", () => {
  it("names every all-printable 8-byte block, across the kernel's pieces and in a last lone block", () => {
    const random = seededRandom(31);
    for (const length of [7, 8, 24, 1024 * 1024 + 8, 1024 * 1024 + 15, 3 * 1024 * 1024 + 13]) {
      const bytes = mixedBytes(random, length);
      const out = new Int32Array(Math.ceil(length / 8));
      const count = kernel!.scan(bytes, out);
      expect(Array.from(out.subarray(0, count)), `length ${length}`).toEqual(blocksByHand(bytes));
    }
  });

  it("gives the extractor the same runs as its own search, for parts cut anywhere in the chunk", () => {
    const random = seededRandom(37);
    const chunk = mixedBytes(random, 4 * 1024 * 1024 + 5);
    const out = new Int32Array(Math.ceil(chunk.length / 8));
    const known = { bytes: chunk, blocks: out, count: kernel!.scan(chunk, out) };
    // Parts as the byte pass cuts a chunk for a segment: any offsets, with skipped ranges between.
    const cuts = [0, 3, 1_000_001, 1_000_100, 2_500_003, chunk.length - 29, chunk.length];
    const runsOf = (withKnown: boolean, useKernel: boolean) => {
      const runs: PrintableString[] = [];
      const extractor = new PrintableStringExtractor((run) => runs.push(run), useKernel);
      for (let index = 0; index + 1 < cuts.length; index += 2) {
        const part = chunk.subarray(cuts[index]!, cuts[index + 1]!);
        extractor.push(part, cuts[index]!, withKnown ? known : undefined);
      }
      extractor.end();
      return runs;
    };
    const expected = runsOf(false, false);
    expect(expected.length).toBeGreaterThan(20);
    expect(runsOf(true, true)).toEqual(expected);
    expect(runsOf(false, true)).toEqual(expected);
  });

  it("is done once, by whichever side claims the job first", () => {
    const bytes = mixedBytes(seededRandom(41), 100_000);
    const expected = blocksByHand(bytes);
    const job = new BlockScanJob(bytes.length);
    expect(job.fits(bytes.length)).toBe(true);
    expect(job.fits(bytes.length + 8)).toBe(false);
    // The other side claims and finishes: its blocks are taken.
    let generation = job.open();
    BlockScanJob.run(job.buffer, generation, bytes, kernel!);
    let result = job.result(bytes, kernel!);
    expect(result.reusable).toBe(true);
    expect(Array.from(result.blocks.blocks.subarray(0, result.blocks.count))).toEqual(expected);
    // The byte pass claims first: the other side's late message claims nothing.
    generation = job.open();
    result = job.result(bytes, kernel!);
    expect(Array.from(result.blocks.blocks.subarray(0, result.blocks.count))).toEqual(expected);
    BlockScanJob.run(job.buffer, generation, new Uint8Array(100_000), kernel!);
    expect(Array.from(result.blocks.blocks.subarray(0, result.blocks.count))).toEqual(expected);
    // Closed unused, then claimed by nobody.
    generation = job.open();
    expect(job.close()).toBe(true);
    BlockScanJob.run(job.buffer, generation, new Uint8Array(100_000), kernel!);
    expect(new Int32Array(job.buffer)[0]).toBe(generation * 4 + 3);
  });
});

import { describe, expect, it } from "vitest";
import { API_VERSION, type ArtifactSummary, definePlugin, type Origin } from "../src/plugin.js";
import { scanBytes } from "../src/testing/index.js";
import { toyPlugin } from "./test-plugin.js";

/** Records which byte ranges of which source reached a byte detector. */
function recorder() {
  const seen: { chain: string; offset: number; text: string }[] = [];
  const ended: string[] = [];
  const artifacts: ArtifactSummary[] = [];
  const plugin = definePlugin({
    meta: { name: "byte-recorder", version: "0", namespace: "bytes" },
    apiVersion: API_VERSION,
    detectors: [
      {
        id: "byte-recorder",
        description: "records byte chunks",
        facts: [],
        bytes: true,
        rules: [],
        create: () => ({
          onBytes(chunk: Uint8Array, offset: number, origin: Origin) {
            seen.push({ chain: origin.memberChain.join(">"), offset, text: new TextDecoder().decode(chunk) });
          },
          onBytesEnd(origin: Origin) {
            ended.push(origin.memberChain.join(">"));
          },
          finish(artifact: ArtifactSummary) {
            artifacts.push(artifact);
          },
        }),
      },
    ],
  });
  return { plugin, seen, ended, artifacts };
}

function byChain<T extends { chain: string; offset: number }>(seen: T[]): T[] {
  return [...seen].sort((left, right) => left.chain.localeCompare(right.chain) || left.offset - right.offset);
}

describe("the byte pass", () => {
  const file = "TOY\nslice 10 6\n<member>";

  it("hands every byte to byte detectors once: a member read in place is not streamed again with its parent", async () => {
    const { plugin, seen, ended, artifacts } = recorder();
    const report = await scanBytes("a.toy", new TextEncoder().encode(file), [toyPlugin, plugin]);
    expect(report.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Detectors that judge the whole artifact get its hash, size and formats when it is done.
    expect(artifacts).toEqual([
      { file: report.files[0]?.path, size: file.length, sha256: report.files[0]?.sha256, formats: ["toy"] },
    ]);
    // Each source's bytes arrive in order; sources interleave within the one pass.
    expect(byChain(seen)).toEqual([
      { chain: "", offset: 0, text: "TOY\nslice " },
      { chain: "", offset: 16, text: "member>" },
      { chain: "slice@10", offset: 0, text: "10 6\n<" },
    ]);
    expect(ended).toEqual(["slice@10", ""]);
  });

  it("at the quick level hands over only the head that sniffing read, and hashes nothing", async () => {
    const { plugin, seen } = recorder();
    const report = await scanBytes("a.toy", new TextEncoder().encode(file), [toyPlugin, plugin], { level: "quick" });
    expect(report.files[0]?.sha256).toBeNull();
    expect(seen.map((entry) => entry.chain)).toEqual(["slice@10", ""]);
  });

  // Offsets: "TOY\n" 0-3, "tensor 16 8\n" 4-15, "slice 16 4\n" 16-26, then "WEIGHTS!tail".
  const withTensor = new TextEncoder().encode("TOY\ntensor 16 8\nslice 16 4\nWEIGHTS!tail");

  it("at the standard level leaves declared tensor data to the thorough level, but still hashes it", async () => {
    const { plugin, seen } = recorder();
    const report = await scanBytes("t.toy", withTensor, [toyPlugin, plugin]);
    expect(report.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The tensor range 16-23 is skipped; the member inside it gets only its head, like at the quick level.
    expect(seen).toEqual([
      { chain: "slice@16", offset: 0, text: "slic" },
      { chain: "", offset: 0, text: "TOY\ntensor 16 8\n" },
      { chain: "", offset: 24, text: " 4\nWEIGHTS!tail" },
    ]);
  });

  it("at the thorough level streams every byte once", async () => {
    const { plugin, seen } = recorder();
    await scanBytes("t.toy", withTensor, [toyPlugin, plugin], { level: "thorough" });
    expect(byChain(seen)).toEqual([
      { chain: "", offset: 0, text: "TOY\ntensor 16 8\n" },
      { chain: "", offset: 20, text: "e 16 4\nWEIGHTS!tail" },
      { chain: "slice@16", offset: 0, text: "slic" },
    ]);
  });
});

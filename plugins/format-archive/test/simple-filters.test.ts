import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { createXzFilter, FilterStage, XZ_FILTER_NAMES } from "../src/decode/simple-filters.js";
import { handlers } from "./helpers.js";

// Fixtures from tooling/fixtures/generate_container_differential_fixtures.py: xz files written by
// python3 lzma (filters=[BCJ or delta, LZMA2]) and xz --arm64, 7z folders by 7z a -mf=...; the manifest
// holds the SHA-256 of what liblzma decodes.
const directory = new URL("../../../tooling/fixtures/differential-containers/", import.meta.url);
const load = (file: string) => new Uint8Array(readFileSync(new URL(file, directory)));
const manifest = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8")) as {
  file: string;
  reached: { lzma_decompress_sha256?: string };
}[];
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const liblzmaSha = (file: string) => manifest.find((entry) => entry.file === file)?.reached.lzma_decompress_sha256;

describe("xz and 7z branch converters and delta", () => {
  it.each(["x86", "arm", "armthumb", "powerpc", "sparc", "ia64", "arm64", "x86_start_offset"])(
    "xz BCJ %s decodes to liblzma's bytes",
    async (kind) => {
      const file = `xz_bcj_${kind}.pkl.xz`;
      const result = await parseWith(handlers, file, load(file));
      expect(result.inconclusive).toEqual([]);
      expect(sha256(result.children[0]?.bytes ?? new Uint8Array())).toBe(liblzmaSha(file));
    },
  );

  it.each(["powerpc", "arm64", "sparc", "armthumb"])(
    "a 7z folder with 7-Zip's %s converter decodes to the same pickle",
    async (kind) => {
      const result = await parseWith(handlers, `${kind}.7z`, load(`seven_zip_bcj_${kind}.7z`));
      expect(result.inconclusive).toEqual([]);
      const member = result.children.find((child) => child.chain.at(-1) === "model/evil.pkl");
      expect(sha256(member?.bytes ?? new Uint8Array())).toBe(liblzmaSha(`xz_bcj_${kind}.pkl.xz`));
    },
  );

  // Decoded output reaches a filter in pieces of any size (the LZMA2 window slides every few MiB):
  // an instruction cut by a piece's end is held and converted with the next.
  const sample = (() => {
    const bytes = new Uint8Array(4096);
    let seed = 12345;
    for (let index = 0; index < bytes.length; index++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[index] = seed >>> 24;
      // Dense opcode-like bytes so every converter finds instructions.
      if (index % 5 === 0) bytes[index] = [0xe8, 0xeb, 0xf0, 0xf8, 0x48, 0x40, 0x94][index % 7] as number;
    }
    for (let index = 0; index + 5 < bytes.length; index += 11) [bytes[index], bytes[index + 4]] = [0xe8, 0];
    return bytes;
  })();
  it.each(
    Object.keys(XZ_FILTER_NAMES)
      .map(Number)
      .filter((id) => id !== 11),
  )("filter %i converts the same bytes whatever the pieces", (id) => {
    const properties = id === 3 ? Uint8Array.of(3) : new Uint8Array(0);
    const whole: Uint8Array[] = [];
    const wholeStage = new FilterStage(createXzFilter(id, properties).filter, 0, {
      append: (c) => whole.push(c.slice()),
    });
    wholeStage.append(sample);
    wholeStage.finish();
    for (const piece of [1, 3, 7, 16, 1000]) {
      const parts: Uint8Array[] = [];
      const stage = new FilterStage(createXzFilter(id, properties).filter, 0, { append: (c) => parts.push(c.slice()) });
      for (let at = 0; at < sample.length; at += piece) stage.append(sample.subarray(at, at + piece));
      stage.finish();
      expect(sha256(Buffer.concat(parts)), `pieces of ${piece}`).toBe(sha256(Buffer.concat(whole)));
    }
    expect(sha256(Buffer.concat(whole))).not.toBe(sha256(sample));
  });
});

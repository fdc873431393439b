import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { anomalies, entries, handlers } from "./helpers.js";

/** Files written by tooling/fixtures/generate_container_differential_fixtures.py, with what real tools read. */
const directory = new URL("../../../tooling/fixtures/differential-containers/", import.meta.url);

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  rules: string[];
  reached: {
    tarfile?: (string | number)[][];
    gnu_tar?: string[];
    "7z_members"?: string[];
    lzma_LZMAFile_bytes?: number | string;
    xz_dc_bytes?: number;
    lzma_decompress_sha256?: string;
  };
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8")) as ManifestEntry[];
const load = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, directory)));
const payloadMarker = Buffer.from("modelaudit-fixture");
const contains = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(payloadMarker);

describe("container differentials: every reading a real extractor makes", () => {
  it("has the fixture set", () => {
    expect(manifest.filter((entry) => entry.expect === "findings").length).toBeGreaterThanOrEqual(18);
    expect(manifest.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(8);
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", async (file, entry) => {
    const result = await parseWith(handlers, file, load(file));
    const differentials = anomalies(result.facts).filter((fact) => fact.code === "parser-differential");
    if (entry.expect === "clean") {
      expect(differentials.map((fact) => fact.message)).toEqual([]);
      expect(result.inconclusive).toEqual([]);
      const sha256 = entry.reached.lzma_decompress_sha256;
      if (sha256 !== undefined) {
        const decoded = result.children[0]?.bytes ?? new Uint8Array();
        expect(createHash("sha256").update(decoded).digest("hex")).toBe(sha256);
      }
      expect(result.children.some((child) => contains(child.bytes))).toBe(false);
      return;
    }
    if (entry.rules.includes("code-execution/parser-differential")) expect(differentials.length).toBeGreaterThan(0);
    else expect(differentials).toEqual([]);
    // Every name and link target tarfile or GNU tar extracts is listed.
    const listed = entries(result.facts);
    const names = new Set(listed.map((fact) => fact.name));
    const links = new Set(listed.map((fact) => `${fact.name} -> ${fact.linkTarget ?? ""}`));
    for (const [name, type, , link] of entry.reached.tarfile ?? []) {
      expect(names, String(name)).toContain(name);
      if (type === "2") expect(links).toContain(`${name} -> ${link}`);
    }
    for (const line of entry.reached.gnu_tar ?? []) {
      if (line.includes(" -> ")) expect(links).toContain(line);
      else expect(names, line).toContain(line);
    }
    // The payload, wherever a reader finds it, reaches the scanner as a member or decoded stream.
    if (!entry.rules.includes("code-execution/dangerous-global")) return;
    const withPayload = result.children.filter((child) => contains(child.bytes));
    expect(withPayload.length, "payload scanned").toBeGreaterThan(0);
    // Concatenated LZMA streams: the longer of LZMAFile's and xz -dc's readings is decoded.
    const { lzma_LZMAFile_bytes: python, xz_dc_bytes: xz } = entry.reached;
    if (typeof python === "number" && xz !== undefined) {
      expect(result.children[0]?.bytes.length).toBe(Math.max(python, xz));
    }
    // xz filters (BCJ, delta): exactly the bytes liblzma decodes.
    const sha256 = entry.reached.lzma_decompress_sha256;
    if (sha256 !== undefined) {
      expect(result.inconclusive).toEqual([]);
      expect(
        createHash("sha256")
          .update(withPayload[0]?.bytes ?? new Uint8Array())
          .digest("hex"),
      ).toBe(sha256);
    }
    for (const member of (entry.reached["7z_members"] ?? []).filter((path) => path.endsWith(".pkl"))) {
      expect(result.children.map((child) => child.chain.at(-1))).toContain(member);
    }
  });

  it("two pax sizes: tarfile's 55-byte member and GNU tar's empty one are both read, and where each reads on", async () => {
    const result = await parseWith(handlers, "size.tar", load("tar_two_pax_size.tar"));
    const weights = entries(result.facts).filter((fact) => fact.name === "model/weights.pkl");
    expect(weights.map((fact) => fact.size).sort()).toEqual([0, 55]);
    const [differential] = anomalies(result.facts).filter((fact) => fact.code === "parser-differential");
    expect(differential?.message).toMatch(/size 55 vs 0; data stepped over 55 vs 0 bytes/);
    // GNU tar reads the pickle bytes as a header: its reading stops there, and says so.
    expect(result.inconclusive.join("\n")).toMatch(/GNU tar's reading, tar header at 2560/);
  });

  it("gzip NUL padding: the member after it is decoded and the disagreement reported", async () => {
    const result = await parseWith(handlers, "padded.pkl.gz", load("gz_nul_padded_member.pkl.gz"));
    const [differential] = anomalies(result.facts).filter((fact) => fact.code === "parser-differential");
    expect(differential?.message).toMatch(/8 zero bytes after the gzip member ending at 20, then another member at 28/);
    expect(differential?.location?.offset).toBe(20);
    expect(result.inconclusive).toEqual([]);
  });

  it("LZMA streams: LZMAFile switching formats and xz -dc skipping padding are both followed and reported", async () => {
    const switched = await parseWith(handlers, "a.joblib", load("lzma_xz_then_alone.joblib"));
    const [toAlone] = anomalies(switched.facts).filter((fact) => fact.code === "parser-differential");
    expect(toAlone?.message).toMatch(/LZMA-alone stream at \d+ after the xz stream: Python's lzma.LZMAFile/);
    expect(switched.inconclusive).toEqual([]);
    const padded = await parseWith(handlers, "b.joblib", load("lzma_xz_padding_xz.joblib"));
    const [padding] = anomalies(padded.facts).filter((fact) => fact.code === "parser-differential");
    expect(padding?.message).toMatch(/8 bytes of NUL stream padding at \d+, then another xz stream/);
  });

  it("a zip 'directory' entry that holds data is scanned as a file, and the oddity noted", async () => {
    const result = await parseWith(handlers, "d.npz", load("zip_dir_entry_with_data.npz"));
    expect(result.children.map((child) => child.chain.at(-1))).toContain("x.npy/");
    expect(entries(result.facts).find((fact) => fact.name === "x.npy/")?.type).toBe("file");
    const [oddity] = anomalies(result.facts).filter((fact) => fact.code === "unusual-structure");
    expect(oddity?.message).toMatch(/x\.npy\/: a directory entry carries 183 bytes of data/);
    // A real (empty) directory entry stays a directory and adds nothing.
    const benign = await parseWith(handlers, "b.npz", load("benign_zip_dir_entries.npz"));
    expect(entries(benign.facts).find((fact) => fact.name === "arrays/")?.type).toBe("directory");
    expect(anomalies(benign.facts).filter((fact) => fact.code === "unusual-structure")).toEqual([]);
  });

  it("a 7z behind a 70 KiB prefix is scanned as a child at its offset", async () => {
    const result = await parseWith(handlers, "sfx.exe", load("sfx_zeros_70k.exe"));
    expect(result.formats).toContain("7z");
    expect(result.children.map((child) => child.chain)).toContainEqual(["7z@71680", "model/evil.pkl"]);
  });
});

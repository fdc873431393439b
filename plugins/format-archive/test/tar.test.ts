import { readdirSync, readFileSync } from "node:fs";
import { SliceSource } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { tarHandler, zipHandler } from "../src/index.js";
import {
  anomalies,
  bufferSource,
  CountingSource,
  entries,
  fixture,
  handlers,
  patchTarHeader as patchHeader,
  runHandler,
} from "./helpers.js";

const payload = fixture("payload.pkl");
const text = (value: string) => new TextEncoder().encode(value);
const longName = `model/${Array.from({ length: 25 }, (_, index) => `segment-${String(index).padStart(2, "0")}`).join("/")}/data.pkl`;
const longTarget = `${"../".repeat(40)}etc/passwd`;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function codes(facts: Parameters<typeof anomalies>[0]): string[] {
  return anomalies(facts).map((fact) => fact.code);
}

describe("tar handler: formats tarfile writes", () => {
  it("ustar.tar: directories, files, ustar prefix names, links (escaping too), devices and fifos", async () => {
    const result = await parseWith(handlers, "ustar.tar", fixture("ustar.tar"));
    expect(result.formats).toEqual(["tar"]);
    const listed = entries(result.facts).map((fact) => [fact.name, fact.type, fact.size, fact.linkTarget]);
    expect(listed).toEqual([
      ["model/", "directory", 0, undefined],
      ["model/data.pkl", "file", payload.length, undefined],
      ["model/notes.txt", "file", 17, undefined],
      [`model/${"d".repeat(120)}/weights.bin`, "file", 16, undefined],
      ["model/link", "symlink", 0, "../../etc/passwd"],
      ["model/copy.pkl", "hardlink", 0, "model/data.pkl"],
      ["model/abs-link", "symlink", 0, "/etc/shadow"],
      ["model/up-hardlink", "hardlink", 0, "../../etc/shadow"],
      ["dev/console", "other", 0, undefined],
      ["dev/pipe", "other", 0, undefined],
    ]);
    // Offsets as Python's tarfile reports them (TarInfo.offset).
    expect(entries(result.facts).map((fact) => fact.location?.offset)).toEqual([
      0, 512, 1536, 2560, 3584, 4096, 4608, 5120, 5632, 6144,
    ]);
    expect(result.children.map((child) => child.chain)).toEqual([
      ["model/data.pkl"],
      ["model/notes.txt"],
      [`model/${"d".repeat(120)}/weights.bin`],
    ]);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(new TextDecoder().decode(result.children[1]?.bytes)).toBe("plain tar member\n");
    // The file is padded with zeros to a 10 KiB record: normal, not trailing data.
    expect(anomalies(result.facts)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
  });

  it("gnu-long.tar: GNU long name (L) and long link target (K) apply to the next member", async () => {
    const result = await parseWith(handlers, "gnu-long.tar", fixture("gnu-long.tar"));
    const listed = entries(result.facts).map((fact) => [fact.name, fact.type, fact.linkTarget, fact.location?.offset]);
    expect(listed).toEqual([
      [longName, "file", undefined, 0],
      ["model/long-link", "symlink", longTarget, 2048],
    ]);
    expect(result.children).toEqual([{ chain: [longName], bytes: payload }]);
    expect(result.inconclusive).toEqual([]);
    expect(anomalies(result.facts)).toEqual([]);
  });

  it("pax-long.tar: pax path, linkpath, UTF-8 names and a pax size that overrides the ustar size field", async () => {
    const bytes = fixture("pax-long.tar");
    // The override member's own header says 0 bytes: the pax record must win.
    expect(new TextDecoder().decode(bytes.subarray(6656 + 124, 6656 + 135))).toBe("00000000000");
    const result = await parseWith(handlers, "pax-long.tar", bytes);
    const listed = entries(result.facts).map((fact) => [fact.name, fact.type, fact.size, fact.linkTarget]);
    expect(listed).toEqual([
      [longName, "file", payload.length, undefined],
      ["model/long-link", "symlink", 0, longTarget],
      ["model/café.txt", "file", 15, undefined],
      ["model/override.bin", "file", 14, undefined],
    ]);
    expect(result.children.map((child) => child.chain[0])).toEqual([longName, "model/café.txt", "model/override.bin"]);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(new TextDecoder().decode(result.children[2]?.bytes)).toBe("pax size wins\n");
    expect(result.inconclusive).toEqual([]);
    expect(anomalies(result.facts)).toEqual([]);
  });

  it("v7.tar: no magic at 257, claimed because the checksum validates", async () => {
    const bytes = fixture("v7.tar");
    expect(bytes.subarray(257, 263)).toEqual(new Uint8Array(6));
    const result = await parseWith(handlers, "v7.tar", bytes);
    expect(result.formats).toEqual(["tar"]);
    expect(entries(result.facts).map((fact) => fact.name)).toEqual(["data.pkl", "notes.txt"]);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(result.inconclusive).toEqual([]);
  });

  it("a member holding a pickle is handed on as a child with exactly the pickle's bytes", async () => {
    const result = await parseWith(handlers, "pickle-member.tar", fixture("pickle-member.tar"));
    expect(result.children).toEqual([{ chain: ["model.pkl"], bytes: payload }]);
  });

  it("members are zero-copy slices of the archive; only headers are read", async () => {
    const bytes = fixture("ustar.tar");
    const counting = new CountingSource(bufferSource("ustar.tar", bytes));
    const run = await runHandler(tarHandler, counting);
    expect(run.children).toHaveLength(3);
    for (const child of run.children) expect(child.source).toBeInstanceOf(SliceSource);
    // Ten headers, the end marker (at 6656) and the zero padding after it; member data is never read.
    expect(counting.bytesRead).toBe(10 * 512 + 1024 + (bytes.length - 7680));
  });

  it("labels a NeMo archive (model_config.yaml + model_weights.ckpt) and scans the checkpoint inside", async () => {
    const result = await parseWith(handlers, "nemo-layout.nemo", fixture("nemo-layout.nemo"));
    // The checkpoint is the last member, so a zip reader also finds its end record near the end of the
    // tar (Python's zipfile opens such a file too): both views are scanned, as for any polyglot.
    expect(result.formats.filter((format) => format === "tar" || format === "nemo")).toEqual(["tar", "nemo"]);
    expect(result.children.map((child) => child.chain)).toContainEqual(["./model_weights.ckpt", "archive/data.pkl"]);
    expect(result.children.find((child) => child.chain[1] === "archive/data.pkl")?.bytes).toEqual(payload);
    const plain = await parseWith(handlers, "ustar.tar", fixture("ustar.tar"));
    expect(plain.formats).not.toContain("nemo");
  });

  it("a tar ending in a stored zip is read as both; each entry names its reading, so their name sets stay apart", async () => {
    // tooling/fixtures/benign-realism: ckpt.pt (torch.save), then backup.zip holding the same ckpt.pt.
    const bytes = new Uint8Array(
      readFileSync(new URL("../../../tooling/fixtures/benign-realism/torch/run_with_backup_zip.tar", import.meta.url)),
    );
    const tar = await runHandler(tarHandler, bufferSource("run.tar", bytes));
    const zip = await runHandler(zipHandler, bufferSource("run.tar", bytes));
    expect(entries(tar.facts).map((fact) => [fact.container, fact.name])).toEqual([
      ["tar", "ckpt.pt"],
      ["tar", "backup.zip"],
    ]);
    expect(entries(zip.facts).map((fact) => [fact.container, fact.name])).toEqual([["zip", "ckpt.pt"]]);
  });

  const compressed: [string, string][] = [
    ["model.tar.gz", "gzip"],
    ["model.tgz", "gzip"],
    ["model.tar.bz2", "bzip2"],
    ["model.tar.xz", "xz"],
    ["model.tar.zst", "zstd"],
  ];
  it.each(compressed)("%s: %s decodes the tar, whose members are scanned in turn", async (file, codec) => {
    const result = await parseWith(handlers, file, fixture(file));
    expect(result.formats).toEqual([codec, "tar"]);
    const inner = "model.tar";
    expect(result.children.map((child) => child.chain)).toEqual([[inner], [inner, "model/data.pkl"]]);
    expect(result.children[1]?.bytes).toEqual(payload);
    expect(entries(result.facts).map((fact) => [fact.name, fact.type])).toEqual([
      ["model/", "directory"],
      ["model/data.pkl", "file"],
    ]);
    expect(result.inconclusive).toEqual([]);
  });
});

describe("tar handler: damaged and hostile headers", () => {
  const ustar = fixture("ustar.tar");

  it("a member cut short by the end of the file: truncated, inconclusive, the bytes present are scanned", async () => {
    const result = await parseWith(handlers, "cut.tar", ustar.subarray(0, 1100));
    expect(codes(result.facts)).toEqual(["truncated"]);
    expect(result.inconclusive.join("\n")).toMatch(/model\/data\.pkl.*76 bytes into a member of 173/);
    expect(result.children).toEqual([{ chain: ["model/data.pkl"], bytes: payload.subarray(0, 76) }]);
  });

  it("every member whole but no end marker: a truncated anomaly, not inconclusive", async () => {
    const result = await parseWith(handlers, "no-end.tar", ustar.subarray(0, 6656));
    expect(entries(result.facts)).toHaveLength(10);
    expect(codes(result.facts)).toEqual(["truncated"]);
    expect(result.inconclusive).toEqual([]);
  });

  it("a file cut inside a header is inconclusive", async () => {
    const result = await parseWith(handlers, "cut.tar", ustar.subarray(0, 1536 + 300));
    expect(codes(result.facts)).toEqual(["truncated"]);
    expect(result.inconclusive.join("\n")).toMatch(/ends inside a header/);
    expect(entries(result.facts)).toHaveLength(2);
  });

  it("a bad checksum stops the walk: malformed and inconclusive", async () => {
    const bytes = ustar.slice();
    bytes[1536 + 6] = (bytes[1536 + 6] as number) ^ 0x01; // one bit of the third header's name
    const result = await parseWith(handlers, "bad-checksum.tar", bytes);
    expect(codes(result.facts)).toEqual(["malformed"]);
    expect(result.inconclusive.join("\n")).toMatch(/header at 1536: header checksum does not match/);
    expect(entries(result.facts).map((fact) => fact.name)).toEqual(["model/", "model/data.pkl"]);
  });

  it("a size field that is not octal is malformed", async () => {
    const bytes = patchHeader(ustar, 512, 124, text("0000000x255\0"));
    const result = await parseWith(handlers, "bad-size.tar", bytes);
    expect(codes(result.facts)).toEqual(["malformed"]);
    expect(result.inconclusive).toHaveLength(1);
  });

  it.each([
    ["octal 8 GiB", text("77777777777\0")],
    ["base-256 2^88", Uint8Array.from([0x80, ...new Array<number>(11).fill(0xff)])],
  ])("an absurd size field (%s) is truncated and inconclusive without allocating it", async (_label, field) => {
    const source = new CountingSource(bufferSource("absurd.tar", patchHeader(ustar, 512, 124, field)));
    const run = await runHandler(tarHandler, source);
    expect(codes(run.facts)).toEqual(["truncated"]);
    expect(run.inconclusive.join("\n")).toMatch(/model\/data\.pkl/);
    expect(run.children.map((child) => [child.name, child.source.size])).toEqual([
      ["model/data.pkl", ustar.length - 1024],
    ]);
    expect(source.bytesRead).toBe(1024);
  });

  it("a base-256 size field reads like its octal twin", async () => {
    const field = new Uint8Array(12);
    field[0] = 0x80;
    field[11] = 17;
    const result = await parseWith(handlers, "base256.tar", patchHeader(ustar, 1536, 124, field));
    expect(entries(result.facts)[2]?.size).toBe(17);
    expect(new TextDecoder().decode(result.children[1]?.bytes)).toBe("plain tar member\n");
    expect(result.inconclusive).toEqual([]);
  });

  it("a negative base-256 size is malformed", async () => {
    const field = new Uint8Array(12).fill(0xff);
    const result = await parseWith(handlers, "negative.tar", patchHeader(ustar, 512, 124, field));
    expect(codes(result.facts)).toEqual(["malformed"]);
  });

  it("data after the end marker is trailing data; a second archive there is walked too", async () => {
    const single = fixture("pickle-member.tar");
    const trailing = await parseWith(handlers, "trailing.tar", concat(single, text("hidden payload")));
    expect(codes(trailing.facts)).toEqual(["trailing-data"]);
    expect(anomalies(trailing.facts)[0]?.location?.offset).toBe(single.length);
    expect(trailing.inconclusive).toEqual([]);

    const concatenated = await parseWith(handlers, "two.tar", concat(single, fixture("v7.tar")));
    expect(codes(concatenated.facts)).toEqual(["unusual-structure"]);
    expect(entries(concatenated.facts).map((fact) => fact.name)).toEqual(["model.pkl", "data.pkl", "notes.txt"]);
  });

  it("a GNU sparse member is listed at its real size and inconclusive, not scanned", async () => {
    const realSize = new Uint8Array(12);
    realSize.set(text("00000010000\0"));
    let bytes = patchHeader(ustar, 512, 156, text("S"));
    bytes = patchHeader(bytes, 512, 483, realSize);
    const result = await parseWith(handlers, "sparse.tar", bytes);
    const sparse = entries(result.facts)[1];
    expect([sparse?.name, sparse?.type, sparse?.size]).toEqual(["model/data.pkl", "file", 0o10000]);
    expect(result.inconclusive.join("\n")).toMatch(/sparse/);
    expect(result.children.map((child) => child.chain[0])).not.toContain("model/data.pkl");
    expect(entries(result.facts)).toHaveLength(10);
  });

  it("an unknown type flag is extracted as a regular file by tarfile: listed, scanned, flagged", async () => {
    const result = await parseWith(handlers, "unknown.tar", patchHeader(ustar, 512, 156, text("Z")));
    expect(entries(result.facts)[1]?.type).toBe("file");
    expect(codes(result.facts)).toEqual(["unusual-structure"]);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(result.inconclusive).toEqual([]);
  });

  it("a GNU long name over the 64 KiB bound is refused before it is read", async () => {
    const bytes = patchHeader(fixture("gnu-long.tar"), 0, 124, text(`${(70_000).toString(8).padStart(11, "0")}\0`));
    const result = await parseWith(handlers, "long.tar", bytes);
    expect(codes(result.facts)).toEqual(["limit-exceeded"]);
    expect(result.inconclusive).toHaveLength(1);
    expect(entries(result.facts)).toEqual([]);
  });

  it("a malformed pax record stops the walk", async () => {
    const bytes = fixture("pax-long.tar").slice();
    bytes[512] = 0x78; // the first record's length digit becomes 'x'
    const result = await parseWith(handlers, "pax.tar", bytes);
    expect(codes(result.facts)).toEqual(["malformed"]);
    expect(result.inconclusive.join("\n")).toMatch(/pax record/);
  });

  it("member count is bounded by maxMembers", async () => {
    const run = await runHandler(tarHandler, bufferSource("ustar.tar", ustar), { maxMembers: 3 });
    expect(entries(run.facts)).toHaveLength(3);
    expect(codes(run.facts)).toEqual(["limit-exceeded"]);
    expect(run.inconclusive.join("\n")).toMatch(/more than 3 members/);
  });

  it("does not claim pickles, zips, random bytes or zeros", () => {
    let state = 7;
    const random = Uint8Array.from({ length: 4096 }, () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state >>> 24;
    });
    for (const head of [payload, fixture("deflated.zip"), random, new Uint8Array(1024)]) {
      expect(
        tarHandler.sniff({ head, tail: head, size: head.length, name: "x", extension: "", parentFormats: [] }),
      ).toBe(false);
    }
  });
});

describe("tar fixtures of the archive-safety detector", () => {
  const directory = new URL("../../../tooling/fixtures/archives/", import.meta.url);
  const load = (name: string) => new Uint8Array(readFileSync(new URL(name, directory)));

  it.each([
    ["traversal_dotdot.tar", "../../evil.sh", "file", undefined],
    ["traversal_absolute.tar", "/etc/x", "file", undefined],
    ["symlink_escape.tar", "model/passwd", "symlink", "/etc/passwd"],
    ["symlink_relative_escape.tar", "model/up", "symlink", "../../../etc"],
    ["hardlink_escape.tar", "model/shadow", "hardlink", "../../etc/shadow"],
    ["benign_symlink_inside.tar", "model/copy.txt", "hardlink", "model/weights.txt"],
    ["benign_model_folder.tar", "model/latest", "symlink", "weights.bin"],
  ])("%s lists %s as a %s", async (file, name, type, linkTarget) => {
    const result = await parseWith(handlers, file, load(file));
    const entry = entries(result.facts).find((fact) => fact.name === name);
    expect([entry?.type, entry?.linkTarget]).toEqual([type, linkTarget]);
    expect(result.inconclusive).toEqual([]);
    expect(anomalies(result.facts)).toEqual([]);
  });

  it("every tar there parses whole", async () => {
    const tars = readdirSync(directory).filter((file) => file.endsWith(".tar"));
    expect(tars.length).toBeGreaterThanOrEqual(7);
    for (const file of tars) {
      const result = await parseWith(handlers, file, load(file));
      // A tar ending in a stored zip (duplicate_names_ending_in_zip.tar) is labelled zip as well.
      expect(result.formats, file).toContain("tar");
      expect(result.inconclusive).toEqual([]);
    }
  });
});

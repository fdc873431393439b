import { readFileSync } from "node:fs";
import type { Detector, Identified, IdentifyOptions } from "@modelaudit/core";
import { driveDetector, mutateBytes, parseWith, scanBytes, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { buildFat, buildJavaClass, buildMachO, buildPe, tinyElf } from "./support/executables.js";

/** Headers cut from real programs by tooling/fixtures/generate_executable_fixtures.py. */
const realHeads = new URL("../../../tooling/fixtures/executables/", import.meta.url);
const realHead = (name: string) => new Uint8Array(readFileSync(new URL(name, realHeads)));
const text = (value: string) => new TextEncoder().encode(value);

/** The format labels the engine gives a file with these bytes. */
async function labels(bytes: Uint8Array, name = "payload"): Promise<string[]> {
  const report = await scanBytes(name, bytes, [plugin]);
  return report.files[0]?.formats ?? [];
}

/** What `identify` answers on these bytes with this plugin's handlers, as a detector sees it. */
function identify(bytes: Uint8Array, options: IdentifyOptions = {}): Identified[] {
  let found: Identified[] = [];
  const probe: Detector = {
    id: "probe",
    description: "asks identify about its first source",
    facts: [],
    bytes: true,
    rules: [],
    create: (context) => ({
      onBytes: (chunk) => {
        found = context.identify(chunk, options);
      },
    }),
  };
  driveDetector(probe, { sources: [bytes], identifyWith: plugin.formats });
  return found;
}

describe("sniffers: real executables", () => {
  it.each([
    ["elf_x86-64_pie_true.head", "elf"],
    ["pe_x86-64_distlib_w64.head", "pe"],
    ["pe_arm64_distlib_w64-arm.head", "pe"],
    ["pe_x86_distlib_t32.head", "pe"],
    ["macho_x86-64_term-size.head", "mach-o"],
    ["macho_universal_crcmod.head", "mach-o"],
  ])("%s is labelled %s", async (file, format) => {
    expect(await labels(realHead(file))).toEqual([format]);
  });

  it("labels the gcc-built tiny ELF and the whole hand-built headers", async () => {
    expect(await labels(tinyElf())).toEqual(["elf"]);
    expect(await labels(buildPe())).toEqual(["pe"]);
    expect(await labels(buildMachO({ fileType: 6 }))).toEqual(["mach-o"]);
    expect(await labels(buildFat())).toEqual(["mach-o"]);
  });

  it("does not take a real Java class file for a universal binary (both start cafebabe)", async () => {
    expect(await labels(realHead("java_class_gettext.head"), "Version.class")).toEqual([]);
    expect(await labels(buildJavaClass())).toEqual([]);
  });

  it("labels shebang scripts, not text that merely mentions magics", async () => {
    expect(await labels(text("#!/usr/bin/env python3\nprint(1)\n"), "run")).toEqual(["shebang-script"]);
    expect(await labels(text("#! /bin/sh\necho x\n"), "run.sh")).toEqual(["shebang-script"]);
    expect(await labels(text("# not a script\n#!/bin/sh\n"), "notes.txt")).toEqual([]);
    expect(await labels(text("MZ and \x7fELF and #!/bin/sh are magics\n"), "notes.txt")).toEqual([]);
  });

  it("parse of a binary adds nothing but the label: no facts, no children, never inconclusive", async () => {
    for (const bytes of [tinyElf(), buildPe(), buildFat()]) {
      const parsed = await parseWith(plugin.formats, "payload", bytes);
      expect(parsed.formats).toHaveLength(1);
      expect([parsed.facts, parsed.children, parsed.inconclusive]).toEqual([[], [], []]);
    }
  });

  it("a script's text is one code fact in its interpreter's language", async () => {
    const cases: [string, string][] = [
      ["#!/bin/sh\ncurl -s https://example.org/x | sh\n", "shell"],
      ["#!/usr/bin/env python3\nimport os\n", "python"],
      ["#!/usr/bin/env node\nrequire('fs')\n", "javascript"],
      ["#!/usr/bin/perl\nprint 1;\n", "unknown"],
    ];
    for (const [script, language] of cases) {
      const parsed = await parseWith(plugin.formats, "run.sh", text(script));
      expect(parsed.facts).toEqual([{ kind: "code", language, text: script, location: { path: "run.sh" } }]);
      expect([parsed.children, parsed.inconclusive]).toEqual([[], []]);
    }
    const binaryTail = new Uint8Array([...text("#!/bin/sh\n"), 0xff, 0xfe, 0x00]);
    expect((await parseWith(plugin.formats, "run.sh", binaryTail)).facts).toEqual([]);
  });

  it("each accepted header starts with one of its handler's magic prefixes (the identify contract)", () => {
    const accepted: [string, Uint8Array][] = [
      ["elf", tinyElf()],
      ["pe", buildPe()],
      ["mach-o", buildMachO()],
      ["mach-o", buildMachO({ magic: 0xfeedface, cpu: 18, littleEndian: false })],
      ["mach-o", buildFat()],
      ["shebang-script", text("#!/bin/sh\n")],
    ];
    for (const [id, bytes] of accepted) {
      const handler = plugin.formats.find((candidate) => candidate.id === id);
      expect(
        handler?.magic?.some((magic) => magic.every((byte, index) => bytes[index] === byte)),
        id,
      ).toBe(true);
    }
  });
});

describe("identify: executables inside extracted bytes", () => {
  const background = new Uint8Array(64 * 1024).fill(0x41);

  it("finds a header at any offset where the whole header holds", () => {
    const bytes = background.slice();
    bytes.set(tinyElf().subarray(0, 64), 1000);
    bytes.set(buildPe(), 20_000);
    bytes.set(realHead("macho_universal_crcmod.head"), 40_001);
    expect(identify(bytes, { formats: ["elf", "pe", "mach-o"], magicOnly: true })).toEqual([
      { format: "elf", offset: 1000 },
      { format: "pe", offset: 20_000 },
      { format: "mach-o", offset: 40_001 },
    ]);
  });

  it("ignores bare magics, a Java class and a header cut short", () => {
    const bytes = background.slice();
    bytes.set(text("MZ\x7fELF\xfe\xed\xfa\xce"), 100);
    bytes.set(buildJavaClass(), 2000);
    bytes.set(tinyElf().subarray(0, 63), bytes.length - 63);
    expect(identify(bytes, { formats: ["elf", "pe", "mach-o"], magicOnly: true })).toEqual([]);
  });

  it("4 MiB of uniform random bytes (every magic by chance) hold no executable", () => {
    const random = seededRandom(7);
    const bytes = Uint8Array.from({ length: 4 * 1024 * 1024 }, () => Math.floor(random() * 256));
    expect(identify(bytes, { formats: ["elf", "pe", "mach-o"], magicOnly: true })).toEqual([]);
  });
});

describe("sniffers: damaged headers", () => {
  it("never throw and accept only what still validates, over thousands of mutations", () => {
    const random = seededRandom(99);
    const originals = [tinyElf().slice(0, 512), buildPe(), buildMachO(), buildFat(), text("#!/bin/sh\necho x\n")];
    let claims = 0;
    for (let round = 0; round < 4000; round++) {
      const head = mutateBytes(originals[round % originals.length] as Uint8Array, random);
      const input = { head, tail: head, size: head.length, name: "x", extension: "", parentFormats: [] };
      for (const handler of plugin.formats) {
        if (!handler.sniff(input)) continue;
        claims++;
        expect(handler.magic?.some((magic) => magic.every((byte, index) => head[index] === byte))).toBe(true);
      }
    }
    // Damage that misses every checked field leaves a valid header: the loop did test acceptance.
    expect(claims).toBeGreaterThan(100);
  });
});

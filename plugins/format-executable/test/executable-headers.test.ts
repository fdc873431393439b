import { describe, expect, it } from "vitest";
import { describeExecutable } from "../src/executable-headers.js";
import { describeShebang } from "../src/shebang.js";
import { buildFat, buildJavaClass, buildMachO, buildPe, tinyElf } from "./support/executables.js";

describe("ELF", () => {
  it("identifies the gcc-built tiny ELF executable", () => {
    expect(describeExecutable(tinyElf(), 0)).toEqual({
      format: "ELF",
      kind: "executable",
      architecture: "x86-64",
      sharedLibrary: false,
    });
  });

  it("calls ET_DYN a shared library", () => {
    const elf = tinyElf().slice();
    elf[16] = 3;
    expect(describeExecutable(elf, 0)?.sharedLibrary).toBe(true);
  });

  it.each([
    [4, 3, "class"],
    [5, 0, "data encoding"],
    [6, 2, "ident version"],
    [9, 1, "padding"],
    [16, 9, "e_type"],
    [18, 0, "e_machine"],
    [20, 2, "e_version"],
    [52, 63, "e_ehsize"],
  ])("rejects a header with a bad byte at %i (%s)", (offset, value) => {
    const elf = tinyElf().slice(0, 64);
    elf[offset] = value;
    expect(describeExecutable(elf, 0)).toBeNull();
  });

  it("rejects a header cut short", () => {
    expect(describeExecutable(tinyElf().slice(0, 63), 0)).toBeNull();
  });
});

describe("PE", () => {
  it("identifies a PE32+ image and a DLL", () => {
    expect(describeExecutable(buildPe(), 0)).toMatchObject({
      format: "PE",
      kind: "executable",
      architecture: "x86-64",
    });
    expect(describeExecutable(buildPe({ characteristics: 0x2022 }), 0)).toMatchObject({
      kind: "DLL",
      sharedLibrary: true,
    });
  });

  it("follows e_lfanew and rejects what does not hold", () => {
    expect(describeExecutable(buildPe({ lfanew: 0x80 }), 0)?.format).toBe("PE");
    expect(describeExecutable(buildPe({ lfanew: 0x2000 }), 0)).toBeNull(); // beyond the accepted bound
    expect(describeExecutable(buildPe({ machine: 0x1234 }), 0)).toBeNull();
    expect(describeExecutable(buildPe({ characteristics: 0 }), 0)).toBeNull();
    expect(describeExecutable(buildPe().slice(0, 0x50), 0)).toBeNull(); // PE header not present
    const noSignature = buildPe();
    noSignature[0x40] = 0x4e;
    expect(describeExecutable(noSignature, 0)).toBeNull();
  });
});

describe("Mach-O", () => {
  it("identifies 64-bit little-endian and 32-bit big-endian headers, and dylibs", () => {
    expect(describeExecutable(buildMachO(), 0)).toMatchObject({ format: "Mach-O", architecture: "x86-64" });
    const bigEndian = buildMachO({ magic: 0xfeedface, cpu: 18, littleEndian: false });
    expect(describeExecutable(bigEndian, 0)).toMatchObject({ format: "Mach-O", architecture: "PowerPC" });
    expect(describeExecutable(buildMachO({ fileType: 6 }), 0)?.sharedLibrary).toBe(true);
  });

  it("rejects unknown CPUs, file types, and a 32-bit CPU in a 64-bit header", () => {
    expect(describeExecutable(buildMachO({ cpu: 99 }), 0)).toBeNull();
    expect(describeExecutable(buildMachO({ fileType: 77 }), 0)).toBeNull();
    expect(describeExecutable(buildMachO({ cpu: 7 }), 0)).toBeNull();
  });

  it("identifies universal binaries but not Java class files (same cafebabe magic)", () => {
    expect(describeExecutable(buildFat(), 0)).toMatchObject({
      format: "Mach-O universal",
      architecture: "x86-64+ARM64",
    });
    expect(describeExecutable(buildJavaClass(), 0)).toBeNull();
    expect(describeExecutable(buildFat([0x01000007, 42]), 0)).toBeNull();
  });
});

describe("shebang", () => {
  const text = (value: string) => new TextEncoder().encode(value);
  it.each([
    ["#!/bin/sh\necho hi\n", "sh"],
    ["#!/usr/bin/env python3\nprint(1)\n", "python3"],
    ["#! /bin/bash -e\n", "bash"],
  ])("identifies %j", (script, interpreter) => {
    expect(describeShebang(text(script))).toEqual({ interpreter });
  });
  it.each(["#!not-a-path\n", "# comment\n", "#!/bin/\n", `#!/${"a".repeat(300)}\n`, "#!/bin/sh\u0001\n"])(
    "rejects %j",
    (value) => {
      expect(describeShebang(text(value))).toBeNull();
    },
  );
});

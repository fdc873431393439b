import { API_VERSION, definePlugin, type FormatHandler } from "@modelaudit/core";
import { factsBytes, scanBytes } from "@modelaudit/core/testing";
import executable from "@modelaudit/format-executable";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { buildMachO, buildPe, randomFloat32, tinyElf } from "./support/executables.js";
import { testHandlers } from "./support/test-handlers.js";

function withParts(base: Uint8Array, parts: [number, Uint8Array][]): Uint8Array {
  const bytes = base.slice();
  for (const [offset, part] of parts) bytes.set(part, offset);
  return bytes;
}

describe("embedded-executable", () => {
  it("ng: native executables at the start of a source are critical, whatever the format", async () => {
    for (const bytes of [tinyElf(), buildPe(), buildMachO()]) {
      const report = await scanBytes("payload", bytes, [plugin, executable]);
      expect(report.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
        ["binary/embedded-executable", "critical"],
      ]);
      expect(report.summary.exitCode).toBe(1);
    }
  });

  it("ng: a shebang script is a warning", async () => {
    const report = await scanBytes("run", new TextEncoder().encode("#!/bin/sh\necho x\n"), [plugin, executable]);
    expect(report.findings.map((finding) => [finding.messageId, finding.severity])).toEqual([
      ["shebangScript", "warning"],
    ]);
  });

  it("ok: text, JSON and random weights", async () => {
    for (const [name, bytes] of [
      ["notes.txt", new TextEncoder().encode("MZ is a magic; so is \x7fELF but this is prose\n")],
      ["config.json", new TextEncoder().encode('{"a": "#!/bin/sh"}')],
      ["weights.f32", randomFloat32(1 << 20, 3)],
    ] as const) {
      const report = await scanBytes(name, bytes, [plugin, executable]);
      expect(report.findings, name).toEqual([]);
      expect(report.files[0]?.outcome, name).toBe("clean");
    }
    // Named like a model, raw bytes no handler reads are unread, not clean; still no finding.
    const named = await scanBytes("weights.bin", randomFloat32(1 << 20, 3), [plugin, executable]);
    expect(named.findings).toEqual([]);
    expect(named.files[0]?.outcome).toBe("inconclusive");
  });

  it("caps findings per source by option (default 3)", async () => {
    const parts: [number, Uint8Array][] = [1, 2, 3, 4, 5].map((index) => [index * 10_000, buildPe()]);
    const bytes = withParts(randomFloat32(64 * 1024, 1), parts);
    expect((await scanBytes("w.bin", bytes, [plugin, executable])).findings).toHaveLength(3);
    const one = await scanBytes("w.bin", bytes, [plugin, executable], {
      options: { binary: { maxFindingsPerSource: 1 } },
    });
    expect(one.findings).toHaveLength(1);
  });

  it("at the quick level only the start of each source is examined", async () => {
    const deep = withParts(randomFloat32(64 * 1024, 1), [[10_000, buildPe()]]);
    expect((await scanBytes("w.bin", deep, [plugin, executable], { level: "quick" })).findings).toEqual([]);
    expect((await scanBytes("payload", tinyElf(), [plugin, executable], { level: "quick" })).findings).toHaveLength(1);
  });
});

describe("extension-mismatch", () => {
  it("ng: a pickle named .safetensors is critical; an ELF named .pt is critical on both rules", async () => {
    const pickle = Uint8Array.of(0x80, 0x04, 0x95, 0x05, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x2e);
    const renamed = await scanBytes("model.safetensors", pickle, [plugin, testHandlers]);
    expect(renamed.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ["binary/extension-mismatch", "critical"],
    ]);
    const elf = await scanBytes("model.pt", tinyElf(), [plugin, testHandlers]);
    expect(elf.findings.map((finding) => [finding.ruleId, finding.severity]).sort()).toEqual([
      ["binary/embedded-executable", "critical"],
      ["binary/extension-mismatch", "critical"],
    ]);
  });

  it("ok: a pickle named .bin", async () => {
    const pickle = Uint8Array.of(0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e);
    expect((await scanBytes("pytorch_model.bin", pickle, [plugin, testHandlers])).findings).toEqual([]);
  });

  it("sees formats a handler adds while parsing, after the byte pass (judged at finish)", async () => {
    const lateLabeller: FormatHandler = {
      id: "late-labeller",
      description: "claims everything, labels it a pickle only during parse",
      sniff: () => true,
      parse: (context) => context.addFormat("pickle"),
    };
    const late = definePlugin({
      meta: { name: "late", version: "0" },
      apiVersion: API_VERSION,
      formats: [lateLabeller],
    });
    const report = await scanBytes("model.gguf", new Uint8Array(16), [plugin, executable, late]);
    expect(report.findings.map((finding) => finding.messageId)).toEqual(["contentContradictsName"]);
    expect(report.findings[0]?.message).toContain("pickle");
  });

  it("judges archive members by their own names", async () => {
    const archive = factsBytes({
      children: [
        { name: "model/weights.safetensors", description: { formats: ["zip"] } },
        { name: "model/ok.zip", description: { formats: ["zip"] } },
      ],
    });
    const report = await scanBytes("bundle.json", archive, [plugin, testHandlers]);
    expect(report.findings.map((finding) => [finding.memberChain, finding.severity])).toEqual([
      [["model/weights.safetensors"], "warning"],
    ]);
  });
});

describe("lifecycle", () => {
  it("keeps what a source's bytes showed when its stream never ended (time limit mid-source)", () => {
    const findings: string[] = [];
    const run = plugin.detectors[0]!.create({
      report: (input) => findings.push(input.messageId),
      inconclusive: () => undefined,
      options: {},
      level: "standard",
      identify: () => [],
    });
    // The engine labels a source when it sniffs it, before any of its bytes are handed over.
    const origin = { file: "model.pt", memberChain: [], formats: ["elf"] };
    run.onBytes?.(tinyElf(), 0, origin);
    run.finish?.({ file: "model.pt", size: tinyElf().length, sha256: null, formats: ["elf"] });
    expect(findings.sort()).toEqual(["contentContradictsName", "executableAtStart"]);
  });
});

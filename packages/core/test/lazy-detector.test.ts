import { describe, expect, it } from "vitest";
import { buildRegistry } from "../src/engine/registry.js";
import { type DetectorDescriptor, lazyDetector } from "../src/lazy-detector.js";
import { API_VERSION, type Detector, definePlugin, type Plugin } from "../src/plugin.js";
import { scanBytes } from "../src/testing/index.js";
import { toyHandler, toyPlugin } from "./test-plugin.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** The toy plugin with its detector made lazy; `imports` counts the times its module was imported. */
function lazyToy(options: { descriptor?: Partial<DetectorDescriptor>; fail?: boolean } = {}) {
  const counter = { imports: 0 };
  const { create: _create, ...descriptor } = toyPlugin.detectors[0] as Detector;
  const detector = lazyDetector({ ...descriptor, ...options.descriptor }, async () => {
    counter.imports++;
    if (options.fail) throw new Error("no such module");
    return (await import("./lazy-toy-detectors.js")).toyDetector;
  });
  const plugin: Plugin = definePlugin({ ...toyPlugin, formats: [toyHandler], detectors: [detector] });
  return { plugin, detector, counter };
}

/** A report without timings, for comparing a lazy scan with an eager one. */
const stable = (report: Awaited<ReturnType<typeof scanBytes>>) => ({
  files: report.files.map(({ durationMs: _duration, path: _path, ...entry }) => entry),
  findings: report.findings.map(({ file: _file, ...finding }) => finding),
  checks: report.checks.map(({ file: _file, ...check }) => check),
});

describe("lazy detectors", () => {
  it("are not imported for a file that gives them no fact, and their checks say so", async () => {
    const { plugin, counter } = lazyToy();
    const plain = await scanBytes("notes.txt", bytes("no toy here"), [plugin]);
    const noImports = await scanBytes("a.toy", bytes("TOY\nlimit"), [plugin]);
    expect(counter.imports).toBe(0);
    expect(plain.files[0]?.outcome).toBe("clean");
    expect(noImports.files[0]?.outcome).toBe("inconclusive");
    expect(plain.checks.map((check) => [check.ruleId, check.status, check.reason])).toEqual([
      ["toy/evil-import", "skipped", "nothing to check: no import facts"],
      ["toy/never-fires", "skipped", "nothing to check: no import facts"],
    ]);
  });

  it("are imported once on their first fact and judge every fact, nested ones included, as eager ones do", async () => {
    const { plugin, counter } = lazyToy();
    const input = bytes(
      "TOY\nimport evil first\nnest TOY\\nimport evil nested\nimport numpy ndarray\nimport evil last",
    );
    const lazy = await scanBytes("a.toy", input, [plugin]);
    const again = await scanBytes("a.toy", input, [plugin]);
    const eager = await scanBytes("a.toy", input, [toyPlugin]);
    expect(counter.imports).toBe(1);
    expect(lazy.findings.map((finding) => finding.message)).toEqual([
      "evil.first is evil",
      "evil.last is evil",
      "evil.nested is evil",
    ]);
    expect(stable(lazy)).toEqual(stable(eager));
    expect(stable(again)).toEqual(stable(eager));
  });

  it("whose import fails leave the file inconclusive, naming the detector, and the scan goes on", async () => {
    const { plugin } = lazyToy({ fail: true });
    const report = await scanBytes("a.toy", bytes("TOY\nimport evil run"), [plugin]);
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons).toEqual(["detector toy-detector failed: no such module"]);
  });

  it("refuse an imported detector that departs from the descriptor", async () => {
    const { detector } = lazyToy({ descriptor: { facts: ["call"] } });
    await expect(detector.load?.()).rejects.toThrow(
      "detector toy-detector: the imported detector subscribes to other facts",
    );
    expect(() => detector.create({} as never)).toThrow("detector toy-detector is not loaded yet");
  });

  it("that read bytes are imported before the artifact; those the level leaves out never", async () => {
    let imports = 0;
    const load = async () => {
      imports++;
      return (await import("./lazy-toy-detectors.js")).byteCounter;
    };
    const descriptor = { id: "byte-counter", description: "counts bytes", facts: [], bytes: true, rules: [] };
    const thoroughOnly = lazyDetector({ ...descriptor, id: "thorough-counter", levels: ["thorough"] }, async () => {
      throw new Error("imported at the wrong level");
    });
    const plugin = definePlugin({
      meta: { name: "bytes-plugin", version: "1.0.0" },
      apiVersion: API_VERSION,
      detectors: [lazyDetector(descriptor, load), thoroughOnly],
    });
    const report = await scanBytes("notes.txt", bytes("some bytes"), [plugin]);
    expect(imports).toBe(1);
    expect((await import("./lazy-toy-detectors.js")).seen.chunks).toBe(1);
    expect(report.files[0]?.outcome).toBe("clean");
    expect(report.files[0]?.reasons).toEqual([]);
  });

  it("in a plugin's lazy entry beside its eager one of the same version make one plugin; other versions clash", () => {
    const { plugin } = lazyToy();
    const registry = buildRegistry([{ meta: { name: "preset", version: "1" }, plugins: [plugin] }, toyPlugin]);
    expect(registry.plugins).toEqual([plugin]);
    const newer = definePlugin({ ...toyPlugin, meta: { ...toyPlugin.meta, version: "9.9.9" } });
    expect(() => buildRegistry([plugin, newer])).toThrow("plugin toy-plugin is loaded twice in different versions");
  });

  it("that read tensor data are imported on a file's first tensor fact and read the data; never for files without", async () => {
    let imports = 0;
    const tensorCounter = lazyDetector(
      { id: "tensor-counter", description: "counts tensor bytes", facts: [], tensors: {}, rules: [] },
      async () => {
        imports++;
        return (await import("./lazy-toy-detectors.js")).tensorCounter;
      },
    );
    const plugin = definePlugin({
      meta: { name: "tensor-plugin", version: "1.0.0" },
      apiVersion: API_VERSION,
      formats: [toyHandler],
      detectors: [tensorCounter],
    });
    await scanBytes("a.toy", bytes("TOY\nimport numpy ndarray"), [plugin]);
    await scanBytes("a.toy", bytes("TOY\ntensor 0 8"), [plugin], { level: "quick" });
    expect(imports).toBe(0);
    const report = await scanBytes("a.toy", bytes("TOY\ntensor 0 8"), [plugin]);
    expect(imports).toBe(1);
    expect(report.files[0]?.reasons).toEqual([]);
    expect((await import("./lazy-toy-detectors.js")).seen.tensorBytes).toBe(8);
  });
});

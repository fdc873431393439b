import { describe, expect, it } from "vitest";
import { detectorFailures, findingsOf, rulesOf, scanArchive } from "./support/scan.js";
import type { TestArchive } from "./support/test-handlers.js";

const MiB = 1024 ** 2;
const file = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "file" as const,
  size: 10,
  ...extra,
});

/** An archive nested `levels` deep, the innermost holding a text file. */
function nested(levels: number): TestArchive {
  let archive: TestArchive = { entries: [file("hello.txt")], children: [{ name: "hello.txt", text: "hi" }] };
  for (let level = levels - 1; level >= 1; level--) {
    archive = { entries: [file(`level${level + 1}.zip`)], children: [{ name: `level${level + 1}.zip`, archive }] };
  }
  return archive;
}

describe("path-traversal", () => {
  it("ng: '..', absolute, backslash, drive letter and UNC names are critical", async () => {
    const names = ["../../evil.sh", "/etc/x", "..\\..\\x", "C:/x", "\\\\server\\share\\x"];
    const report = await scanArchive({ entries: names.map((name) => file(name)) });
    const findings = findingsOf(report, "path-traversal");
    expect(findings.map((finding) => finding.messageId).sort()).toEqual([
      "absolutePath",
      "driveLetter",
      "parentSegments",
      "parentSegments",
      "uncPath",
    ]);
    expect(findings.every((finding) => finding.severity === "critical")).toBe(true);
    expect(report.summary.exitCode).toBe(1);
  });

  it("ng: a local header name that escapes is judged too", async () => {
    const report = await scanArchive({ entries: [file("good.txt", { localName: "../evil" })] });
    expect(findingsOf(report, "path-traversal")).toHaveLength(1);
  });

  it("grades '..' that stays inside the root as a warning", async () => {
    const report = await scanArchive({ entries: [file("a/../b.txt")] });
    const [finding] = findingsOf(report, "path-traversal");
    expect(finding?.severity).toBe("warning");
    expect(finding?.messageId).toBe("parentSegmentsInside");
  });

  it("ok: ordinary relative names", async () => {
    const report = await scanArchive({ entries: [file("model/weights.bin"), file("..hidden"), file("a..b/c")] });
    expect(report.findings).toEqual([]);
    expect(report.files[0]?.outcome).toBe("clean");
  });
});

describe("link-escape", () => {
  it("ng: symlink to /etc/passwd, relative escape, hardlink escape (tar-style entries)", async () => {
    const report = await scanArchive({
      entries: [
        { name: "model/passwd", type: "symlink", size: 0, linkTarget: "/etc/passwd" },
        { name: "model/up", type: "symlink", size: 0, linkTarget: "../../../etc" },
        { name: "model/shadow", type: "hardlink", size: 0, linkTarget: "../../etc/shadow" },
        { name: "model/data", type: "symlink", size: 0, linkTarget: "/srv/data" },
      ],
    });
    const findings = findingsOf(report, "link-escape");
    expect(findings.map((finding) => finding.messageId).sort()).toEqual([
      "absoluteTarget",
      "escapingTarget",
      "escapingTarget",
      "systemTarget",
    ]);
    expect(findings.every((finding) => finding.severity === "critical")).toBe(true);
  });

  it("ok: links that stay inside the root, and a link without a known target", async () => {
    const report = await scanArchive({
      entries: [
        { name: "model/latest", type: "symlink", size: 0, linkTarget: "weights.bin" },
        { name: "model/copy", type: "hardlink", size: 0, linkTarget: "model/weights.bin" },
        { name: "model/unknown", type: "symlink", size: 0 },
      ],
    });
    expect(report.findings).toEqual([]);
  });
});

describe("decompression-bomb", () => {
  it("ng: a ratio above 100 for a member of 64 MiB or more", async () => {
    const report = await scanArchive({ entries: [file("zeros.bin", { size: 200 * MiB, compressedSize: 200 * 1024 })] });
    const [finding] = findingsOf(report, "decompression-bomb");
    expect(finding?.messageId).toBe("highRatio");
    expect(finding?.severity).toBe("critical");
    expect(finding?.message).toContain("1024:1");
  });

  it("ng: a declared size over 10 GiB, and data with no compressed bytes", async () => {
    const report = await scanArchive({
      entries: [
        file("huge.bin", { size: 11 * 1024 ** 3, compressedSize: 11 * 1024 ** 3 }),
        file("nothing.bin", { size: 100 * MiB, compressedSize: 0 }),
      ],
    });
    expect(
      findingsOf(report, "decompression-bomb")
        .map((finding) => finding.messageId)
        .sort(),
    ).toEqual(["highRatio", "hugeSize"]);
  });

  it("ok: high ratios on small members, and ordinary ratios on large ones", async () => {
    const report = await scanArchive({
      entries: [
        file("small.txt", { size: 512 * 1024, compressedSize: 100 }),
        file("weights.bin", { size: 500 * MiB, compressedSize: 450 * MiB }),
        { name: "dir/", type: "directory", size: 0 },
      ],
    });
    expect(report.findings).toEqual([]);
  });

  it("ok: a member of a few MB at ~1000:1 (np.savez_compressed of a zero mask): a bomb needs a large output too", async () => {
    const report = await scanArchive({
      entries: [
        file("mask.npy", { size: 8_000_128, compressedSize: 7867 }),
        file("lora_B.npy", { size: 32_000_128, compressedSize: 31_198 }),
        file("nothing.bin", { size: 2 * MiB, compressedSize: 0 }),
      ],
    });
    expect(report.findings).toEqual([]);
  });

  it("thresholds come from options", async () => {
    const entries = [file("x.bin", { size: 2 * MiB, compressedSize: 100 * 1024 })]; // ratio ~20
    expect(findingsOf(await scanArchive({ entries }), "decompression-bomb")).toHaveLength(0);
    expect(findingsOf(await scanArchive({ entries }, { maxRatio: 10 }), "decompression-bomb")).toHaveLength(0);
    expect(
      findingsOf(await scanArchive({ entries }, { maxRatio: 10, ratioMinSize: MiB }), "decompression-bomb"),
    ).toHaveLength(1);
    expect(
      findingsOf(await scanArchive({ entries }, { ratioMinSize: 4 * MiB, maxRatio: 10 }), "decompression-bomb"),
    ).toHaveLength(0);
    expect(findingsOf(await scanArchive({ entries }, { maxEntrySize: MiB }), "decompression-bomb")).toHaveLength(1);
    // Nonsense option values keep the defaults.
    expect(findingsOf(await scanArchive({ entries }, { maxRatio: -1 }), "decompression-bomb")).toHaveLength(0);
  });

  it("ng: the anomaly limit-exceeded from an archive or compressed stream", async () => {
    const fromStream = await scanArchive({
      formats: ["bzip2"],
      anomalies: [{ code: "limit-exceeded", message: "stopped decoding: compression ratio above 1000:1" }],
    });
    expect(findingsOf(fromStream, "decompression-bomb")[0]?.messageId).toBe("decodingStopped");
    const fromArchive = await scanArchive({
      entries: [file("a.bin")],
      anomalies: [{ code: "limit-exceeded", message: "a.bin: stopped decoding: compression ratio above 1000:1" }],
    });
    expect(findingsOf(fromArchive, "decompression-bomb")).toHaveLength(1);
  });

  it("ok: an in-memory bound on an honest large stream is not a bomb", async () => {
    const report = await scanArchive({
      formats: ["gzip"],
      anomalies: [{ code: "limit-exceeded", message: "stopped decoding: in-memory limit of 536870912 bytes" }],
    });
    expect(report.findings).toEqual([]);
  });

  it("ok: limit-exceeded from a non-archive source (a pickle's memo bound) is not a bomb", async () => {
    const report = await scanArchive({
      formats: ["pickle"],
      anomalies: [{ code: "limit-exceeded", message: "more than 100000 memo entries" }],
    });
    expect(report.findings).toEqual([]);
  });
});

describe("excessive-entries", () => {
  const entries = (count: number) => Array.from({ length: count }, (_, index) => file(`e${index}`));

  it("ng: 10,001 entries in one archive give one warning", async () => {
    const report = await scanArchive({ entries: entries(10_001) });
    const findings = findingsOf(report, "excessive-entries");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("warning");
  });

  it("ng: the handler stopped listing at its member limit (anomaly limit-exceeded about members)", async () => {
    const report = await scanArchive({
      formats: ["zip"],
      anomalies: [{ code: "limit-exceeded", message: "more than 10000 members" }],
    });
    expect(findingsOf(report, "excessive-entries").map((finding) => finding.messageId)).toEqual(["listingStopped"]);
    expect(findingsOf(report, "decompression-bomb")).toEqual([]);
  });

  it("ok: exactly 10,000", async () => {
    expect(findingsOf(await scanArchive({ entries: entries(10_000) }), "excessive-entries")).toHaveLength(0);
  });

  it("counts per archive and takes the threshold from options", async () => {
    const archive: TestArchive = {
      entries: [...entries(3), file("inner.zip")],
      children: [{ name: "inner.zip", archive: { entries: entries(3) } }],
    };
    expect(findingsOf(await scanArchive(archive, { maxEntries: 4 }), "excessive-entries")).toHaveLength(0);
    const report = await scanArchive(archive, { maxEntries: 3 });
    expect(findingsOf(report, "excessive-entries").map((finding) => finding.memberChain)).toEqual([[]]);
  });
});

describe("excessive-nesting", () => {
  it("ng: four archive levels give one warning on the fourth", async () => {
    const findings = findingsOf(await scanArchive(nested(4)), "excessive-nesting");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.memberChain).toEqual(["level2.zip", "level3.zip", "level4.zip"]);
    expect(findings[0]?.severity).toBe("warning");
  });

  it("ok: three levels; five levels still give a single finding", async () => {
    expect(findingsOf(await scanArchive(nested(3)), "excessive-nesting")).toHaveLength(0);
    expect(findingsOf(await scanArchive(nested(5)), "excessive-nesting")).toHaveLength(1);
  });

  it("counts only enclosing sources that were archives, and takes the threshold from options", async () => {
    // A compressed layer that emits no entries (gzip around a tar) does not add a level.
    const archive: TestArchive = {
      entries: [file("model.tar.gz")],
      children: [
        {
          name: "model.tar.gz",
          archive: { children: [{ name: "model.tar", archive: { entries: [file("x")] } }] },
        },
      ],
    };
    expect(findingsOf(await scanArchive(archive, { maxNesting: 2 }), "excessive-nesting")).toHaveLength(0);
    expect(findingsOf(await scanArchive(archive, { maxNesting: 1 }), "excessive-nesting")).toHaveLength(1);
    expect(findingsOf(await scanArchive(nested(2), { maxNesting: 1 }), "excessive-nesting")).toHaveLength(1);
  });
});

describe("duplicate-name", () => {
  it("ng: the same name twice, and names that normalise to the same file", async () => {
    const report = await scanArchive({
      entries: [file("config.json"), file("config.json"), file("model/a.bin"), file("model\\.\\a.bin")],
    });
    const findings = findingsOf(report, "duplicate-name");
    expect(findings).toHaveLength(2);
    expect(findings.every((finding) => finding.severity === "warning")).toBe(true);
  });

  it("reports a name once however often it repeats", async () => {
    const report = await scanArchive({ entries: [file("a"), file("a"), file("a"), file("a")] });
    expect(findingsOf(report, "duplicate-name")).toHaveLength(1);
  });

  it("ok: one name in each of a source's two readings (a tar that is also a zip with prepended data)", async () => {
    const report = await scanArchive({
      entries: [
        file("ckpt.pt", { container: "tar" }),
        file("backup.zip", { container: "tar" }),
        file("ckpt.pt", { container: "zip" }),
      ],
    });
    expect(report.findings).toEqual([]);
  });

  it("ng: a duplicate inside one reading is still reported when the source has another reading", async () => {
    const report = await scanArchive({
      entries: [
        file("ckpt.pt", { container: "tar" }),
        file("ckpt.pt", { container: "zip" }),
        file("ckpt.pt", { container: "tar" }),
      ],
    });
    const findings = findingsOf(report, "duplicate-name");
    expect(findings).toHaveLength(1);
  });

  it("ok: two members scanned under one name (one per reading) are two archives, not one", async () => {
    const inner: TestArchive = { entries: [file("archive/data.pkl"), file("archive/version")] };
    const report = await scanArchive({
      entries: [file("ckpt.pt", { container: "tar" }), file("ckpt.pt", { container: "zip" })],
      children: [
        { name: "ckpt.pt", archive: inner },
        { name: "ckpt.pt", archive: inner },
      ],
    });
    expect(report.findings).toEqual([]);
  });

  it("ok: the same name in two different archives, and distinct names", async () => {
    const report = await scanArchive({
      entries: [file("a.txt"), file("b.txt"), file("inner.zip")],
      children: [{ name: "inner.zip", archive: { entries: [file("a.txt")] } }],
    });
    expect(report.findings).toEqual([]);
  });
});

describe("header-mismatch", () => {
  it("ng: a local name that differs from the central name", async () => {
    const report = await scanArchive({ entries: [file("good.txt", { localName: "evil.txt" })] });
    const [finding] = findingsOf(report, "header-mismatch");
    expect(finding?.messageId).toBe("nameMismatch");
    expect(finding?.message).toContain("evil.txt");
    expect(finding?.severity).toBe("warning");
  });

  it("ok: header-mismatch anomalies of non-archive formats (a safetensors duplicate key)", async () => {
    const report = await scanArchive({
      formats: ["safetensors"],
      anomalies: [{ code: "header-mismatch", message: 'duplicate key "linear.bias"' }],
    });
    expect(report.findings).toEqual([]);
  });

  it("ng: the anomaly header-mismatch", async () => {
    const report = await scanArchive({
      formats: ["zip"],
      anomalies: [{ code: "header-mismatch", message: "local header size 10 differs from central 20" }],
    });
    expect(findingsOf(report, "header-mismatch")[0]?.messageId).toBe("anomaly");
  });

  it("reports a name mismatch once when the handler gives it both as localName and as an anomaly", async () => {
    const report = await scanArchive({
      entries: [file("data.pkl", { localName: "datap.kl", location: { offset: 0 } })],
      anomalies: [
        {
          code: "header-mismatch",
          message: 'member "data.pkl" is named "datap.kl" in its local header',
          location: { offset: 0 },
        },
        {
          code: "header-mismatch",
          message: "data.pkl: local header says stored, central directory says deflate",
          location: { offset: 0 },
        },
      ],
    });
    expect(
      findingsOf(report, "header-mismatch")
        .map((finding) => finding.messageId)
        .sort(),
    ).toEqual(["anomaly", "nameMismatch"]);
  });

  it("ok: a local name equal to the central name, and unrelated anomalies", async () => {
    const report = await scanArchive({
      entries: [file("good.txt", { localName: "good.txt" })],
      anomalies: [{ code: "truncated", message: "cut short" }],
    });
    expect(rulesOf(report)).toEqual([]);
  });
});

describe("hostile facts (seeded property test)", () => {
  it("never fails on random names, sizes and link targets", async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ["a", ".", "..", "/", "\\", ":", "C", "\u0000", "\u202e", "é", "//", "~", " ", "%2e"];
    const randomName = () =>
      Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
        "",
      );
    const sizes = [0, 1, -1, 2 ** 53, 1e300, 0.5, 2 ** 31];
    const types = ["file", "directory", "symlink", "hardlink", "other"] as const;
    const started = Date.now();
    for (let round = 0; round < 20; round++) {
      const entries = Array.from({ length: 200 }, () => ({
        name: randomName(),
        localName: random() < 0.2 ? randomName() : undefined,
        type: types[Math.floor(random() * types.length)] ?? "file",
        size: sizes[Math.floor(random() * sizes.length)] ?? 0,
        compressedSize: random() < 0.5 ? (sizes[Math.floor(random() * sizes.length)] ?? 0) : undefined,
        linkTarget: random() < 0.5 ? randomName() : undefined,
      }));
      const report = await scanArchive({ entries });
      expect(detectorFailures(report)).toEqual([]);
      expect(report.files[0]?.outcome).not.toBe("error");
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

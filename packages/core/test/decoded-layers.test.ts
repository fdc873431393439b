import { createHash } from "node:crypto";
import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_DECODE_LIMITS, decodeLayers, describeEncodings, mayHoldEncodedText } from "../src/decoded-layers.js";
import { FactBus } from "../src/engine/fact-bus.js";
import type { Fact } from "../src/facts.js";
import type { DetectorRun, Origin } from "../src/plugin.js";

const TOKEN = "ghp_R8mT3qLz6WvK1pXc9YhN4bJd7Fs2Ga5Ue0Qo";
const base64 = (value: string | Uint8Array) => Buffer.from(value).toString("base64");

describe("decodeLayers", () => {
  it("peels base64, hex and percent-encoding and names the chain", () => {
    expect(decodeLayers(base64(TOKEN))).toEqual([{ text: TOKEN, encodings: ["base64"] }]);
    expect(decodeLayers(`auth=0x${Buffer.from(TOKEN).toString("hex")}`)).toEqual([{ text: TOKEN, encodings: ["hex"] }]);
    expect(decodeLayers("next%3Dhttp%3A%2F%2F45.137.21.9%3A8443%2Fv1")).toContainEqual({
      text: "next=http://45.137.21.9:8443/v1",
      encodings: ["percent-encoding"],
    });
  });

  it("finds base64 inside a longer value and URL-safe base64", () => {
    const urlSafe = Buffer.from(`??${TOKEN}>>`).toString("base64url");
    expect(decodeLayers(`token: ${base64(TOKEN)} (rotated)`).map((layer) => layer.text)).toContain(TOKEN);
    expect(decodeLayers(urlSafe).map((layer) => layer.text)).toContain(`??${TOKEN}>>`);
  });

  it("inflates gzip and zlib inside base64, and follows nested layers", () => {
    const config = JSON.stringify({ endpoint: "http://45.137.21.9:8443/v1/collect" });
    expect(decodeLayers(base64(gzipSync(config)))).toEqual([{ text: config, encodings: ["base64", "gzip"] }]);
    expect(decodeLayers(base64(deflateSync(config)))).toEqual([{ text: config, encodings: ["base64", "zlib"] }]);
    const twice = base64(base64(`GITHUB_TOKEN=${TOKEN}`));
    expect(decodeLayers(twice).at(-1)).toEqual({ text: `GITHUB_TOKEN=${TOKEN}`, encodings: ["base64", "base64"] });
  });

  it("reads base64 wrapped over lines as one value", () => {
    const wrapped = base64(`${TOKEN} ${TOKEN} ${TOKEN}`).replace(/(.{20})/g, "$1\n");
    expect(decodeLayers(wrapped).map((layer) => layer.text)).toContain(`${TOKEN} ${TOKEN} ${TOKEN}`);
  });

  it("drops what decodes to bytes: hashes, checksums, random keys, identifiers", () => {
    const digest = createHash("sha256").update("weights").digest();
    expect(decodeLayers(digest.toString("hex"))).toEqual([]);
    expect(decodeLayers(digest.toString("base64"))).toEqual([]);
    expect(decodeLayers("transformers_version_and_more_words")).toEqual([]);
    expect(decodeLayers("https://wandb.ai/acme-research/llm-pretrain/runs/3k2j1x9q")).toEqual([]);
    expect(decodeLayers("short")).toEqual([]);
  });

  it("stops at the depth bound", () => {
    let text = "the innermost text!";
    for (let layer = 0; layer < 6; layer++) text = base64(text);
    const layers = decodeLayers(text);
    expect(layers).toHaveLength(DEFAULT_DECODE_LIMITS.maxDepth);
    expect(decodeLayers(text, { ...DEFAULT_DECODE_LIMITS, maxDepth: 6 }).at(-1)?.text).toBe("the innermost text!");
  });

  it("bounds what one value may inflate to (a gzip bomb yields nothing)", () => {
    const bomb = base64(gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x41)));
    expect(decodeLayers(bomb)).toEqual([]);
    expect(decodeLayers(bomb, { ...DEFAULT_DECODE_LIMITS, maxDecodedBytes: 16 * 1024 * 1024 })).toHaveLength(1);
  });

  it("bounds the runs tried and the results returned", () => {
    const many = Array.from({ length: 100 }, (_, index) => base64(`secret number ${index} here`)).join(" ");
    expect(decodeLayers(many).length).toBe(DEFAULT_DECODE_LIMITS.maxRunsPerText);
    expect(decodeLayers(many, { ...DEFAULT_DECODE_LIMITS, maxResults: 3 })).toHaveLength(3);
  });

  it("has a cheap pre-check that passes encoded runs and skips prose", () => {
    expect(mayHoldEncodedText("a plain sentence with words.")).toBe(false);
    expect(mayHoldEncodedText(base64(TOKEN))).toBe(true);
    expect(mayHoldEncodedText("a%20b%20c%20d%20e%20f")).toBe(true);
  });

  it("writes the chain after the place", () => {
    expect(describeEncodings("config.hub_auth", ["base64", "gzip"])).toBe("config.hub_auth (base64 > gzip)");
  });
});

describe("the fact bus delivers decoded layers of text facts", () => {
  const origin: Origin = { file: "model.json", memberChain: [], formats: [] };

  function deliveredTexts(facts: Fact[]): Fact[] {
    const seen: Fact[] = [];
    const run: DetectorRun = { onFact: (fact) => seen.push(fact) };
    const detector = {
      registered: {
        detector: { id: "t", description: "", facts: ["text"], rules: [], create: () => run },
        namespace: "t",
      },
      run,
      fed: false,
    } as unknown as ConstructorParameters<typeof FactBus>[0][number];
    const bus = new FactBus(
      [detector],
      1000,
      (_detector, error) => {
        throw error;
      },
      () => undefined,
    );
    for (const fact of facts) bus.emit(fact, origin);
    return seen;
  }

  it("follows a text fact with its decoded text, the chain in key and path", () => {
    const seen = deliveredTexts([
      { kind: "text", text: base64(TOKEN), key: "hub_auth", role: "config", location: { path: "hub_auth" } },
    ]);
    expect(seen).toEqual([
      { kind: "text", text: base64(TOKEN), key: "hub_auth", role: "config", location: { path: "hub_auth" } },
      { kind: "text", text: TOKEN, key: "hub_auth (base64)", role: "config", location: { path: "hub_auth (base64)" } },
    ]);
  });

  it("keeps the offset of the original and never decodes vocabulary pieces", () => {
    const seen = deliveredTexts([
      { kind: "text", text: base64(TOKEN), role: "string-constant", location: { offset: 40 } },
      { kind: "text", text: base64(TOKEN), role: "vocabulary" },
    ]);
    expect(seen[1]).toEqual({
      kind: "text",
      text: TOKEN,
      role: "string-constant",
      location: { offset: 40, path: "value (base64)" },
    });
    expect(seen).toHaveLength(3);
  });
});

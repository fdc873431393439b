import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fakeSecrets, randomString } from "./support/fake-secrets.js";
import { runDetector } from "./support/run-detector.js";

const s = fakeSecrets(3);
const encode = (text: string) => new TextEncoder().encode(text);

function randomFloatBytes(count: number, seed: number): Uint8Array {
  const floats = new Float32Array(count);
  let state = seed;
  for (let index = 0; index < count; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    floats[index] = ((state / 2 ** 32) * 2 - 1) * 0.05;
  }
  return new Uint8Array(floats.buffer);
}

/** Float data with `text` written over it at `at`. */
function withTextAt(text: string, at: number, size = 64 * 1024): Uint8Array {
  const bytes = randomFloatBytes(size / 4, 7);
  bytes.set(encode(text), at);
  return bytes;
}

describe("raw bytes: printable runs across chunk boundaries", () => {
  it("finds a key split between two chunks at every cut position, at the right offset", () => {
    const token = s.github;
    for (let cut = 1; cut < token.length; cut++) {
      const at = 4096 - cut;
      const reports = runDetector([], [withTextAt(token, at)], {}, 4096);
      const hits = reports.filter((report) => report.rule === "github-token");
      expect(hits, `cut ${cut}`).toHaveLength(1);
      expect(hits[0]?.location?.offset).toBe(at);
    }
  });

  it("finds a PEM key spread over several small chunks", () => {
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomString("ABCDEFabcdef0123456789+/", 600, 2)
      .match(/.{1,70}/g)
      ?.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const reports = runDetector([], [withTextAt(pem, 1000)], {}, 256);
    expect(reports.map((report) => report.rule)).toEqual(["private-key"]);
  });

  it("finds a key written into the middle of float32 tensor data (neighbour bytes are arbitrary)", () => {
    for (const secret of [s.awsAccessKey, s.huggingface, s.openaiProject, s.slackWebhook]) {
      const reports = runDetector([], [withTextAt(secret, 30_002)]);
      expect(reports.length, secret.slice(0, 4)).toBeGreaterThan(0);
    }
  });

  it("finds an AWS pair the way a pickle lays it out (opcode bytes between key names and values)", () => {
    const pickleLike = `\u0080\u0002}q\u0000(X\u0011\u0000\u0000\u0000aws_access_key_idq\u0001X\u0014\u0000\u0000\u0000${s.awsAccessKey}q\u0002X\u0015\u0000\u0000\u0000aws_secret_access_keyq\u0003X(\u0000\u0000\u0000${s.awsSecretKey}q\u0004u.`;
    const reports = runDetector([], [encode(pickleLike)]);
    expect(reports.map((report) => report.rule)).toEqual(["aws-key-pair"]);
  });

  it("cuts very long runs into overlapping pieces and still finds a key across the cut", () => {
    // The engine hands over runs longer than 256 KiB in overlapping pieces.
    const text = "a".repeat(256 * 1024 - 10) + s.npm + "b".repeat(1000);
    const bytes = encode(text);
    const reports = runDetector([], [bytes], {}, 65_536);
    expect(reports.map((report) => report.rule)).toEqual(["npm-token"]);
  });

  it("keeps UTF-8 text in runs and reports byte offsets", () => {
    const prefix = "clé secrète: "; // non-ASCII before the key shifts byte offsets from character offsets
    const bytes = withTextAt(`${prefix}${s.sendgrid}`, 500);
    const reports = runDetector([], [bytes], {}, 1024);
    expect(reports[0]?.rule).toBe("sendgrid-api-key");
    expect(reports[0]?.location?.offset).toBe(500 + encode(prefix).length);
  });
});

describe("deduplication and vocabularies", () => {
  it("one finding when a text fact and the raw bytes of its source show the same value, at the fact's key", async () => {
    const fact = {
      kind: "text" as const,
      text: s.huggingface,
      key: "__metadata__.token",
      role: "metadata" as const,
      location: { path: "__metadata__.token" },
    };
    // The detector reports both sightings with the value; the engine keeps the fact's.
    const reports = runDetector([fact], [encode(`{"__metadata__":{"token":"${s.huggingface}"}}`)]);
    expect(reports.map((report) => [report.seenIn, report.value])).toEqual([
      ["fact", s.huggingface],
      ["bytes", s.huggingface],
    ]);
    const report = await scanBytes("m.json", factsBytes({ facts: [fact] }), [factsPlugin, plugin]);
    const findings = report.findings.filter((finding) => finding.ruleId.startsWith("secrets/"));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.location?.path).toBe("__metadata__.token");
  });

  it("one finding when an archive and its member both show a key in raw bytes (the member wins)", async () => {
    const description = { children: [{ name: "member", text: `junk ${s.github} junk` }] };
    const report = await scanBytes("m.json", factsBytes(description), [factsPlugin, plugin]);
    const findings = report.findings.filter((finding) => finding.ruleId.startsWith("secrets/"));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.memberChain).toEqual(["member"]);
  });

  it("tokenizer vocabulary facts never fire, and silence the same look-alike values in raw bytes", () => {
    const pieces = [
      "password",
      "▁token",
      "sk-",
      "AKIA",
      "api_key=",
      `password=${s.genericPassword}`,
      `Bearer ${s.bearer}`,
      s.jwt,
    ];
    const vocabulary = pieces.map((text) => ({ kind: "text" as const, text, role: "vocabulary" as const }));
    expect(runDetector(vocabulary)).toEqual([]);
    expect(runDetector(vocabulary, [encode(JSON.stringify({ vocab: pieces }))])).toEqual([]);
    // A complete live-format key is still found in the raw bytes (a handler may call `hub_token` vocabulary).
    const live = [{ kind: "text" as const, text: s.github, key: "hub_token", role: "vocabulary" as const }];
    expect(runDetector(live)).toEqual([]);
    expect(runDetector(live, [encode(JSON.stringify({ hub_token: s.github }))]).map((report) => report.rule)).toEqual([
      "github-token",
    ]);
  });

  it("a pickled dict's key then value (separate facts) pairs an AWS key and flags a password", () => {
    const facts = [
      "aws_access_key_id",
      s.awsAccessKey,
      "aws_secret_access_key",
      s.awsSecretKey,
      "db_password",
      s.genericPassword,
    ].map((text, index) => ({
      kind: "text" as const,
      text,
      role: "string-constant" as const,
      location: { offset: index * 30 },
    }));
    const rules = runDetector(facts).map((report) => report.rule);
    expect(rules.sort()).toEqual(["aws-key-pair", "generic-credential"]);
  });

  it("tensor names (role name) skip generic-credential but not structured patterns", () => {
    expect(runDetector([{ kind: "text", text: `secret=${s.genericPassword}`, role: "name" }])).toEqual([]);
    expect(runDetector([{ kind: "text", text: s.github, role: "name" }]).map((report) => report.rule)).toEqual([
      "github-token",
    ]);
  });

  it("code facts: finds secrets in source and bytecode names, with a line", () => {
    const reports = runDetector([
      {
        kind: "code",
        language: "python",
        text: `import os\n\nTOKEN = "${s.github}"\n`,
        location: { path: "layer/lambda" },
      },
      {
        kind: "code",
        language: "python-bytecode",
        text: "LOAD_CONST",
        names: ["connect", `postgres://u:${s.dbPassword}@10.0.0.9/db`],
      },
    ]);
    expect(reports.map((report) => report.rule).sort()).toEqual(["database-url", "github-token"]);
    expect(reports.find((report) => report.rule === "github-token")?.location?.line).toBe(3);
  });
});

import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DigestRequest, resolveConfig } from "../src/config.js";
import { buildRegistry } from "../src/engine/registry.js";
import { scan } from "../src/engine/scan.js";
import { API_VERSION, type ArtifactSummary, definePlugin, defineRule, type Plugin } from "../src/plugin.js";
import { toyPlugin } from "./test-plugin.js";

const encode = (text: string) => new TextEncoder().encode(text);
const hex = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest("hex");

// A toy file with an in-place member (a window of the file's bytes, read in the file's own pass) and
// a decoded member (its own bytes), which holds an in-place member of its own.
const INNER = "TOY\nslice 4 6\nimport numpy ndarray";
const FILE = `TOY\nslice 4 10\nnest ${INNER.replaceAll("\n", "\\n")}`;
const bytes = encode(FILE);
const inner = encode(INNER);

let directory: string;
let file: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-digests-"));
  file = path.join(directory, "model.toy");
  await writeFile(file, bytes);
});
afterAll(() => rm(directory, { recursive: true, force: true }));

function scanWith(plugins: Plugin[], digests?: DigestRequest, level: "quick" | "standard" = "standard") {
  const config = { ...resolveConfig({ level }), ...(digests && { digests }) };
  return scan([file], { registry: buildRegistry(plugins), config, concurrency: 1 });
}

describe("digests in the scan's one pass", () => {
  it("SHA-256 and SHA-512 of the file and of every member, when the scan asks", async () => {
    const report = await scanWith([toyPlugin], { sha512: true, members: true });
    const entry = report.files[0]!;
    expect(entry.sha256).toBe(hex("sha256", bytes));
    expect(entry.sha512).toBe(hex("sha512", bytes));
    const nested = "nested@11";
    const expected = [
      { memberChain: [nested], bytes: inner },
      { memberChain: [nested, "slice@4"], bytes: inner.subarray(4, 10) },
      { memberChain: ["slice@4"], bytes: bytes.subarray(4, 14) },
    ].map(({ memberChain, bytes: content }) => ({
      memberChain,
      size: content.length,
      sha256: hex("sha256", content),
      sha512: hex("sha512", content),
    }));
    expect(entry.memberDigests).toEqual(expected);
  });

  it("many overlapping in-place members, each digested from the one pass", async () => {
    const lines = Array.from({ length: 60 }, (_, index) => `slice ${index * 3} ${5 + (index % 7)}`);
    const text = `TOY\n${lines.join("\n")}\n`;
    const many = path.join(directory, "many.toy");
    await writeFile(many, text);
    const bytesOf = encode(text);
    const config = { ...resolveConfig({}), digests: { members: true } };
    const report = await scan([many], { registry: buildRegistry([toyPlugin]), config, concurrency: 1 });
    const members = report.files[0]!.memberDigests!;
    expect(members).toHaveLength(60);
    for (const member of members) {
      const [, start] = /^slice@(\d+)$/.exec(member.memberChain[0]!)!;
      const content = bytesOf.subarray(Number(start), Number(start) + member.size);
      expect(member.sha256).toBe(hex("sha256", content));
    }
  });

  it("nothing extra unless asked: no SHA-512, no member digests", async () => {
    const entry = (await scanWith([toyPlugin])).files[0]!;
    expect(entry.sha256).toBe(hex("sha256", bytes));
    expect(entry).not.toHaveProperty("sha512");
    expect(entry).not.toHaveProperty("memberDigests");
  });

  it("the quick level reads no data, so it has no digests", async () => {
    const entry = (await scanWith([toyPlugin], { sha512: true, members: true }, "quick")).files[0]!;
    expect(entry.sha256).toBeNull();
    expect(entry).not.toHaveProperty("memberDigests");
  });

  it("a detector that sets digestMembers gets them in finish, and its notes land on its check", async () => {
    const seen: ArtifactSummary[] = [];
    const listing = definePlugin({
      meta: { name: "listing", version: "1.0.0", namespace: "listing" },
      apiVersion: API_VERSION,
      rules: {
        "known-member": defineRule({
          meta: {
            description: "test rule",
            severity: "info",
            confidence: 1,
            recommended: true,
            remediation: "none",
            references: [],
            messages: { known: "member {{chain}} is known" },
            docs: { url: "https://example.test/known-member" },
          },
        }),
      },
      detectors: [
        {
          id: "listing",
          description: "notes members",
          facts: [],
          artifact: true,
          rules: ["known-member"],
          create: (context) => ({
            digestMembers: true,
            finish(artifact) {
              seen.push(artifact);
              for (const member of artifact.members ?? []) {
                context.note?.({
                  rule: "known-member",
                  messageId: "known",
                  data: { chain: member.memberChain.join(" > ") },
                });
              }
            },
          }),
        },
      ],
    });
    const report = await scanWith([toyPlugin, listing]);
    expect(seen[0]!.members?.map((member) => member.memberChain.join(" > "))).toEqual([
      "nested@11",
      "nested@11 > slice@4",
      "slice@4",
    ]);
    expect(seen[0]!.members?.[0]).not.toHaveProperty("sha512");
    // Asked by a detector, not by the scan: the report's entry stays as it was.
    expect(report.files[0]).not.toHaveProperty("memberDigests");
    const check = report.checks.find((item) => item.ruleId === "listing/known-member")!;
    expect(check).toMatchObject({ status: "passed", findings: 0 });
    expect(check.notes).toEqual([
      "member nested@11 is known",
      "member nested@11 > slice@4 is known",
      "member slice@4 is known",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { findInternalHosts, PRIVATE_SUFFIXES } from "../src/find-hosts.js";

const hosts = (text: string, suffixes = PRIVATE_SUFFIXES) =>
  findInternalHosts(text, suffixes).map((found) => found.host);

describe("findInternalHosts", () => {
  it.each([
    ["s3://bucket at minio.storage.internal:9000/ckpt", ["minio.storage.internal"]],
    ["trained on GPU-07.Corp", ["gpu-07.corp"]],
    ["http://nas.home.arpa/data and build01.lan", ["nas.home.arpa", "build01.lan"]],
    ["printer.local.", ["printer.local"]],
  ])("finds the internal host in %j", (text, expected) => {
    expect(hosts(text)).toEqual(expected);
  });

  it.each([
    ["a public name that continues after the suffix", "cdn.local.example.com"],
    ["a bare suffix with no host label", "see .internal docs"],
    ["a word, not a suffix", "the internal state of the lan party"],
    ["a suffix glued to a longer label", "wiki.corporate"],
    ["an e-mail style local part", "user@corp"],
  ])("ignores %s", (_why, text) => {
    expect(hosts(text)).toEqual([]);
  });

  it("finds the configured domains beside the private suffixes", () => {
    expect(hosts("pull from registry.ml.acme.example now", [...PRIVATE_SUFFIXES, "acme.example"])).toEqual([
      "registry.ml.acme.example",
    ]);
  });

  it("stays linear on long dotted text without a suffix and bounds the hosts per text", () => {
    const started = performance.now();
    expect(hosts(`${"a.".repeat(200_000)}internalx`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(hosts(Array.from({ length: 500 }, (_, i) => `h${i}.lan`).join(" "))).toHaveLength(100);
  });
});

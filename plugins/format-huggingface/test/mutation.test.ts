import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixture, parse } from "./helpers.js";

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const copy = bytes.slice();
  const choice = next();
  if (choice < 0.35) return copy.subarray(0, Math.floor(next() * copy.length));
  if (choice < 0.75) {
    for (let flips = 1 + Math.floor(next() * 8); flips > 0; flips--) {
      const at = Math.floor(next() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
    }
    return copy;
  }
  // Structure characters that deepen nesting or break strings.
  const at = Math.floor(next() * copy.length);
  const filler = '[{"\\'[Math.floor(next() * 4)]!.charCodeAt(0);
  copy.fill(filler, at, Math.min(copy.length, at + 1 + Math.floor(next() * 200)));
  return copy;
}

const FILES = [
  "hf-repo-clean/config.json",
  "hf-repo-clean/tokenizer_config.json",
  "hf-repo-clean/tokenizer.json",
  "hf-repo-clean/README.md",
  "hf-repo-local-code/modeling_custom.py",
  "hf-repo-local-code/chat_template.jinja",
  "hf-repo-remote-code/config.json",
  "hf-repo-malicious-template/tokenizer_config.json",
];

describe("mutated Hugging Face files never throw or hang", () => {
  for (const file of FILES) {
    it(`${file}: 150 seeded truncations, bit flips and structure floods`, async () => {
      const original = fixture(file);
      const next = seededRandom(file.length * 104729);
      for (let seed = 0; seed < 150; seed++) {
        const mutated = mutate(original, next);
        const started = performance.now();
        const parsed = await parse(file, mutated);
        expect(performance.now() - started).toBeLessThan(10_000);
        // Fail closed: whenever a handler gives up, it leaves an anomaly saying why.
        if (parsed.inconclusive.length > 0) {
          expect(parsed.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
        }
      }
    });
  }

  it("a JSON config that is cut short is inconclusive, never silently clean", async () => {
    const original = fixture("hf-repo-remote-code/config.json");
    for (let length = 1; length < original.length - 2; length += 17) {
      const parsed = await parse("config.json", original.subarray(0, length));
      expect(parsed.inconclusive).toHaveLength(1);
    }
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { mutateBytes, scanBytes, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// Property: whatever damage is done to a real model file (truncation, bit flips, absurd length
// fields, spliced bytes), the whole scanner answers with findings or an inconclusive outcome that
// names the reason: never an exception, an "error" outcome, a hang, or a silent clean on a file it
// could not read to the end.
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle");
const seeds = [
  "torch_zip_checkpoint.pth",
  "torch_legacy_state_dict.pt",
  "sklearn_random_forest.joblib",
  "sklearn_logreg.joblib.gz",
  "numpy_object_benign.npz",
  "plain_nested_p0.pkl",
  "plain_nested_p5.pkl",
  "os_system_p4.pkl",
];

describe("mutated real model files", () => {
  it.each(seeds)("%s: 60 mutants, no crash, no hang, no error outcome", async (name) => {
    const original = new Uint8Array(readFileSync(path.join(fixtures, name)));
    const next = seededRandom(name.length * 7919);
    for (let index = 0; index < 60; index++) {
      const mutant = mutateBytes(original, next);
      const started = Date.now();
      const report = await scanBytes(name, mutant, [preset], { limits: { timeoutMs: 10_000 } });
      const [file] = report.files;
      expect(Date.now() - started, `${name} mutant ${index}`).toBeLessThan(10_000);
      expect(file?.outcome, `${name} mutant ${index}: ${file?.reasons.join("; ")}`).not.toBe("error");
      if (file?.outcome === "inconclusive") expect(file.reasons.length).toBeGreaterThan(0);
    }
  });
});

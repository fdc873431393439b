import { readFileSync } from "node:fs";
import { mutateBytes, scanBytes, seededRandom } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const folder = new URL("../../../tooling/fixtures/weights/", import.meta.url);

describe("damaged weight files", () => {
  for (const file of ["lsb_elf.safetensors", "lsb_zip.npy", "nan_weights_f16.npy", "lowbyte_text.safetensors"]) {
    it(`${file}: seeded truncations, bit flips and absurd lengths never crash or hang the detector`, async () => {
      const original = readFileSync(new URL(file, folder));
      const random = seededRandom(file.length * 104_729);
      for (let round = 0; round < 25; round++) {
        const mutated = mutateBytes(original, random);
        const started = performance.now();
        const report = await scanBytes(file, mutated, [safetensors, pickle, archive, executable, plugin], {
          level: "thorough",
        });
        expect(performance.now() - started).toBeLessThan(30_000);
        const entry = report.files[0];
        expect(entry?.outcome, `round ${round}`).not.toBe("error");
        expect(
          entry?.reasons.filter((reason) => reason.includes("detector weights")),
          `round ${round}`,
        ).toEqual([]);
      }
    });
  }
});

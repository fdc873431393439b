import { readFileSync } from "node:fs";
import path from "node:path";
import { API_VERSION, definePlugin, type TensorStream } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { statisticsOf, type TensorStatistics } from "@modelaudit/tensors";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// tooling/fixtures/tensors-payload (generate_tensor_payload_fixtures.py): one model saved with the real
// libraries in every format the tensor channel reads, the same ELF header in the least significant bits
// of one tensor, and a clean twin of each; expected.json holds what NumPy computes on every tensor.
// tensors-savedmodel and tensors-tflite (generate_tensor_{savedmodel,tflite}_fixtures.py): TensorFlow
// checkpoint variables and a quantized TFLite model, written to their formats' layouts (no TensorFlow
// in Debian), with NumPy's statistics the same way.
const FOLDERS = ["tensors-payload", "tensors-savedmodel", "tensors-tflite"].map((name) =>
  path.resolve(import.meta.dirname, "../../../tooling/fixtures", name),
);

interface ExpectedTensor {
  dtype: string;
  shape: number[];
  count: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
}
interface ExpectedFile {
  payload: boolean;
  payloadTensor: string | null;
  tensors: Record<string, ExpectedTensor>;
}

/** Records every tensor the channel delivers with the shared statistics every detector would read. */
function statisticsRecorder() {
  const seen: { tensor: TensorStream; statistics: TensorStatistics }[] = [];
  const plugin = definePlugin({
    meta: { name: "statistics-recorder", version: "0", namespace: "statistics-recorder" },
    apiVersion: API_VERSION,
    detectors: [
      {
        id: "statistics-recorder",
        description: "records tensor statistics",
        facts: [],
        tensors: {},
        rules: [],
        create: () => ({
          onTensor(tensor) {
            const statistics = statisticsOf(tensor);
            seen.push({ tensor, statistics });
            return statistics;
          },
        }),
      },
    ],
  });
  return { plugin, seen };
}

/** The loader's name for a tensor: `.npy` files hold one unnamed array, `.npz` members are `<key>.npy`. */
function matches(file: string, name: string, tensor: TensorStream): boolean {
  if (file.endsWith(".npy")) return true;
  const member = tensor.dataOrigin.memberChain.at(-1) ?? "";
  return tensor.fact.name === name || member === `${name}.npy` || (tensor.fact.aliases ?? []).includes(name);
}

describe.each(FOLDERS)("every format's tensors through the tensor channel (%s)", (folder) => {
  const expected = JSON.parse(readFileSync(path.join(folder, "expected.json"), "utf8")) as Record<string, ExpectedFile>;
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: names, dtypes, shapes and statistics equal NumPy's`, async () => {
      const { plugin, seen } = statisticsRecorder();
      const report = await scanPaths([path.join(folder, file)], [preset, plugin], { level: "thorough" });
      expect(report.files[0]?.reasons).toEqual([]);
      for (const [name, tensor] of Object.entries(want.tensors)) {
        const found = seen.filter((entry) => matches(file, name, entry.tensor));
        expect(found.length, `${name} in ${seen.map((entry) => entry.tensor.fact.name).join(", ")}`).toBe(1);
        const { tensor: stream, statistics } = found[0] as (typeof found)[0];
        expect(stream.fact.dtype).toBe(tensor.dtype);
        expect(stream.fact.shape).toEqual(tensor.shape);
        expect(statistics.complete).toBe(true);
        expect(statistics.elements).toBe(tensor.count);
        expect(statistics.finite).toBe(tensor.count);
        expect(statistics.min).toBe(tensor.min);
        expect(statistics.max).toBe(tensor.max);
        expect(statistics.mean).toBeCloseTo(tensor.mean, 10);
        expect(statistics.variance).toBeCloseTo(tensor.variance, 10);
      }
    });

    it(`${file}: ${want.payload ? "the payload in the low bits is found" : "the clean twin gives nothing at warning or above"}`, async () => {
      const report = await scanPaths([path.join(folder, file)], [preset], { level: "thorough" });
      const serious = report.findings.filter((finding) => finding.severity !== "info");
      if (!want.payload) {
        expect(serious.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
        expect(report.files[0]?.outcome).toBe("clean");
        return;
      }
      const hidden = report.findings.filter((finding) => finding.ruleId === "stego/hidden-file");
      expect(hidden.map((finding) => finding.message)).toEqual([expect.stringContaining("form an ELF executable")]);
      expect(hidden[0]?.severity).toBe("critical");
    });
  }
});

import { expect, it } from "vitest";
import { scanValues, type TextValue } from "./text-value-handler.js";

it("judges 20 000 ordinary config values quickly (only text that could be code is parsed)", async () => {
  const values: TextValue[] = [];
  for (let index = 0; index < 20_000; index++) {
    const text =
      index % 4 === 0
        ? `layer_${index}`
        : index % 4 === 1
          ? `Linear(in_features=${index}, out_features=64, bias=True)`
          : index % 4 === 2
            ? "https://huggingface.co/bert-base-uncased/resolve/main/config.json"
            : `a description of parameter ${index} (see the paper)`;
    values.push({ text, key: `values[${index}]`, role: "config" });
  }
  const started = performance.now();
  const report = await scanValues(values);
  const elapsed = performance.now() - started;
  expect(report.findings.filter((finding) => finding.severity !== "info")).toEqual([]);
  expect(elapsed).toBeLessThan(20_000);
  console.log(`20 000 text values judged in ${Math.round(elapsed)} ms`);
}, 60_000);

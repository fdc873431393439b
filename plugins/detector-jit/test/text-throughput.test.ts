import { expect, it } from "vitest";
import { scanValues, type TextValue } from "./text-value-handler.js";

// Speed is measured in benchmarks, not asserted here: under a loaded CI machine this took 17-22 s
// (1.5 s alone). The test's timeout is the guard against a pathological parse (a hang).
it("judges 20 000 ordinary config values without a finding or a hang (only text that could be code is parsed)", async () => {
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
  console.log(`20 000 text values judged in ${Math.round(elapsed)} ms`);
}, 60_000);

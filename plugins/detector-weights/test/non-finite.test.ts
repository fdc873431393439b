import { describe, expect, it } from "vitest";
import { driveTensors } from "./support/drive-tensors.js";

function verdictsFor(name: string, values: number[]): string[] {
  const bytes = new Uint8Array(new Float64Array(values).buffer);
  return driveTensors([{ name, dtype: "f64", bytes }], 4096).map(
    (report) => `${report.severity ?? "warning"} ${report.rule}:${report.messageId}`,
  );
}

describe("non-finite-weights: bounds and sentinels", () => {
  it("a small tensor of nothing but -Inf (IterativeImputer's default min_value per feature) is a note", () => {
    expect(verdictsFor("joblib-array@7280", [-Infinity, -Infinity, -Infinity])).toEqual([
      "info non-finite-weights:sentinelInfinity",
    ]);
    expect(verdictsFor("joblib-array@7376", [Infinity, Infinity, Infinity])).toEqual([
      "info non-finite-weights:sentinelInfinity",
    ]);
  });

  it("infinity mixed into finite values stays a warning", () => {
    expect(verdictsFor("fc.bias", [0.1, Infinity, -0.2])).toEqual(["warning non-finite-weights:found"]);
    expect(verdictsFor("fc.bias", [-Infinity, Infinity])).toEqual(["warning non-finite-weights:found"]);
  });

  it("NaN stays a warning, even when every value is NaN", () => {
    expect(verdictsFor("fc.bias", [Number.NaN, Number.NaN])).toEqual(["warning non-finite-weights:found"]);
  });

  it("a large tensor of nothing but infinity stays a warning", () => {
    expect(verdictsFor("fc.weight", new Array(8192).fill(Infinity))).toEqual(["warning non-finite-weights:found"]);
  });
});

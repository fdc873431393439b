import { describe, expect, it } from "vitest";
import { epsilonOf } from "../src/index.js";
import { scanFacts, summary, text } from "./helpers.js";

const Q = 0.004;
/** An Opacus checkpoint's facts as format-pickle emits them. */
const checkpoint = (sigma: number, steps: number, extras: Record<string, string> = {}) => [
  text("privacy_accountant_state_dict.history.0.0", String(sigma)),
  text("privacy_accountant_state_dict.history.0.1", String(Q)),
  text("privacy_accountant_state_dict.history.0.2", String(steps)),
  ...Object.entries(extras).map(([key, value]) => text(key, value)),
];

describe("an Opacus checkpoint", () => {
  const honest = epsilonOf([{ noiseMultiplier: 1, sampleRate: Q, steps: 5000 }], 1e-5).epsilon;

  it("is clean when its saved ε is what the accountant gives and within budget", async () => {
    const report = await scanFacts(checkpoint(1, 5000, { epsilon: String(honest), delta: "1e-05" }));
    expect(report.findings).toEqual([]);
  });

  it("reports a saved ε lower than the recomputed one, with the numbers", async () => {
    const report = await scanFacts(checkpoint(1, 5000, { epsilon: "0.5", delta: "1e-05" }));
    expect(summary(report)).toEqual([["dp/epsilon-understated", "understated"]]);
    expect(report.findings[0]!.message).toContain(`gives ε = ${String(Number(honest.toPrecision(5)))} at δ = 1.000e-5`);
  });

  it("recomputes ε over budget when none is saved, assuming the default δ", async () => {
    const report = await scanFacts(checkpoint(0.5, 20000));
    expect(summary(report)).toEqual([["dp/epsilon-over-budget", "recomputed"]]);
    expect(report.findings[0]!.message).toContain("assumed: none saved");
  });

  it("reports a zero noise multiplier in the history, and nothing else", async () => {
    const report = await scanFacts(checkpoint(0, 100, { epsilon: "1" }));
    expect(summary(report)).toEqual([["dp/zero-noise", "zero"]]);
  });

  it("sums a history of several entries", async () => {
    const facts = [
      ...checkpoint(1, 2000),
      text("privacy_accountant_state_dict.history.1.0", "0.6"),
      text("privacy_accountant_state_dict.history.1.1", "0.01"),
      text("privacy_accountant_state_dict.history.1.2", "3000"),
      text("epsilon", "2"),
    ];
    const expected = epsilonOf(
      [
        { noiseMultiplier: 1, sampleRate: Q, steps: 2000 },
        { noiseMultiplier: 0.6, sampleRate: 0.01, steps: 3000 },
      ],
      1e-5,
    ).epsilon;
    expect(expected).toBeGreaterThan(10);
    const report = await scanFacts(facts);
    expect(summary(report).sort()).toEqual([
      ["dp/epsilon-over-budget", "recomputed"],
      ["dp/epsilon-understated", "understated"],
    ]);
  });

  it("is inconclusive, not crashed, on a history no accountant would take", async () => {
    const report = await scanFacts(checkpoint(1, 1e12));
    expect(report.findings).toEqual([]);
    expect(report.files[0]!.outcome).toBe("inconclusive");
    const nan = await scanFacts(checkpoint(Number.NaN, 10));
    expect(nan.files[0]!.reasons.join(" ")).toMatch(/noise multiplier/);
    const cut = await scanFacts(checkpoint(1, 10).slice(0, 2));
    expect(cut.files[0]!.reasons.join(" ")).toMatch(/1 history entries lack/);
  });
});

describe("configs and model cards", () => {
  it("reports a stated ε over the budget, and takes the budget from the options", async () => {
    const facts = [text("differential_privacy.epsilon", "12", "config")];
    expect(summary(await scanFacts(facts))).toEqual([["dp/epsilon-over-budget", "stated"]]);
    expect(await scanFacts(facts, { options: { dp: { epsilonBudget: 20 } } })).toMatchObject({ findings: [] });
  });

  it("reads ε, δ and σ from a model card sentence", async () => {
    const line = text("body", "Trained with DP-SGD at ε = 30 and δ = 1e-6.", "documentation");
    const report = await scanFacts([line]);
    expect(summary(report)).toEqual([["dp/epsilon-over-budget", "stated"]]);
  });

  it("notes a DP claim without any parameter", async () => {
    const report = await scanFacts([text("front-matter.tags", "differential-privacy", "documentation")]);
    expect(summary(report)).toEqual([["dp/claim-without-parameters", "noParameters"]]);
    expect(report.findings[0]!.severity).toBe("info");
  });

  it("recomputes from σ, q and steps saved as values", async () => {
    const facts = [
      text("dp.enabled", "true", "config"),
      text("dp.noise_multiplier", "0.8", "config"),
      text("dp.sample_rate", "0.01", "config"),
      text("dp.steps", "2000", "config"),
      text("dp.epsilon", "1", "config"),
    ];
    expect(summary(await scanFacts(facts))).toEqual([["dp/epsilon-understated", "understated"]]);
  });
});

describe("what is not differential privacy", () => {
  it("ignores optimiser and norm epsilons, gradient clipping, seeds and audio sampling rates", async () => {
    const facts = [
      text("optimizer.param_groups.0.eps", "1e-08"),
      text("args.adam_epsilon", "1e-08"),
      text("layer_norm_epsilon", "1e-05", "config"),
      text("config.layers.3.config.epsilon", "0.001", "config"),
      text("args.max_grad_norm", "1.0"),
      text("epsilon", "0.1"),
      text("sampling_rate", "16000", "config"),
      text("seed", "42"),
    ];
    expect((await scanFacts(facts)).findings).toEqual([]);
  });

  it("bounds findings per rule and counts the rest", async () => {
    const facts = Array.from({ length: 5 }, (_, index) => text(`runs.${index}.dp_epsilon`, "50", "config"));
    const report = await scanFacts(facts, { options: { dp: { maxFindingsPerRule: 2 } } });
    expect(
      summary(report)
        .map(([, messageId]) => messageId)
        .sort(),
    ).toEqual(["more", "stated", "stated"]);
    const more = report.findings.find((finding) => finding.messageId === "more");
    expect(more!.message).toBe("3 more ε values over budget are not listed");
  });
});

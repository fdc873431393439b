import { describe, expect, it } from "vitest";
import { fixture, manifest, parse, texts } from "./helpers.js";

const FORMAT_BY_EXTENSION: Record<string, string> = {
  ".json": "xgboost-json",
  ".ubj": "xgboost-ubj",
  ".model": "xgboost-binary",
  ".txt": "lightgbm-text",
};

describe("every fixture in tooling/fixtures/xgboost/manifest.json", () => {
  for (const entry of manifest()) {
    it(`${entry.file}: ${entry.expect}`, async () => {
      const parsed = await parse(entry.file);
      const extension = entry.file.slice(entry.file.lastIndexOf("."));
      expect(parsed.formats).toEqual([FORMAT_BY_EXTENSION[extension]]);
      const anomalies = parsed.facts.filter((fact) => fact.kind === "anomaly");
      if (entry.expect === "clean") {
        expect(parsed.inconclusive).toEqual([]);
        expect(anomalies).toEqual([]);
      } else {
        expect(entry.expect).toBe("inconclusive");
        expect(parsed.inconclusive).toHaveLength(1);
        expect(anomalies.length).toBeGreaterThan(0);
      }
    });
  }
});

describe("XGBoost JSON / UBJSON / legacy binary hold the same facts", () => {
  it("feature names, objective and attributes become text facts", async () => {
    for (const name of ["xgb_binary_logistic.json", "xgb_binary_logistic.ubj"]) {
      const { facts } = await parse(name);
      expect(texts(facts, "learner.feature_names")).toEqual(["age", "income", "score"]);
      expect(texts(facts, "learner.objective.name")).toEqual(["binary:logistic"]);
      expect(texts(facts, "learner.gradient_booster.name")).toEqual(["gbtree"]);
      expect(texts(facts, "learner.attributes").sort()).toEqual(["best_iteration", "best_ntree_limit"]);
      expect(texts(facts, "learner.attributes.best_ntree_limit")).toEqual(["2"]);
      const names = facts.find((fact) => fact.kind === "text" && fact.key === "learner.feature_names");
      expect(names).toMatchObject({ role: "name", location: { path: "learner.feature_names" } });
    }
  });

  it("the legacy binary yields the objective, booster and attributes", async () => {
    const { facts, inconclusive } = await parse("xgb_binary_logistic.model");
    expect(inconclusive).toEqual([]);
    expect(texts(facts, "objective")).toEqual(["binary:logistic"]);
    expect(texts(facts, "gradient_booster")).toEqual(["gbtree"]);
    expect(texts(facts, "attributes")).toEqual(["best_iteration", "best_ntree_limit", "objective"]);
    expect(JSON.parse(texts(facts, "attributes.objective")[0]!)).toMatchObject({ name: "binary:logistic" });
  });

  it("names why a malformed model is inconclusive", async () => {
    expect((await parse("bad_xgb_num_trees_mismatch.json")).inconclusive[0]).toContain(
      "num_trees says 3 but 2 trees are stored",
    );
    expect((await parse("bad_xgb_shared_child.json")).inconclusive[0]).toContain("child of two nodes");
    const absurd = await parse("bad_xgb_absurd_count.ubj");
    expect(absurd.inconclusive[0]).toMatch(/length 4611686018427387904 exceeds the \d+ bytes that remain/);
    expect(absurd.facts.find((fact) => fact.kind === "anomaly")).toMatchObject({ code: "truncated" });
    expect((await parse("bad_xgb_truncated.model")).inconclusive[0]).toContain("num_trees 2 cannot fit in the file");
  });

  it("does not claim other JSON or random bytes", async () => {
    const config = new TextEncoder().encode('{"model_type": "bert", "learner": "nope"}');
    expect((await parse("config.json", config)).formats).toEqual([]);
    expect((await parse("x.ubj", fixture("xgb_binary_logistic.ubj").subarray(1))).formats).toEqual([]);
    expect((await parse("x.txt", new TextEncoder().encode("tree\nnot a model\n"))).formats).toEqual([]);
  });
});

describe("LightGBM text models", () => {
  it("emits feature names, objective, parameters and pandas categories", async () => {
    const { facts } = await parse("lightgbm_binary.txt");
    expect(texts(facts, "feature_names")).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    expect(texts(facts, "objective")).toEqual(["binary sigmoid:1"]);
    expect(texts(facts, "parameters.data")).toEqual(["train.csv"]);
    expect(texts(facts, "parameters.boosting")).toEqual(["gbdt"]);
    const categorical = await parse("lightgbm_pandas_categorical.txt");
    expect(texts(categorical.facts, "pandas_categorical[0]")).toEqual(["blue", "green", "red"]);
  });

  it("names the tree_sizes mismatch and the truncation", async () => {
    expect((await parse("bad_lightgbm_tree_sizes.txt")).inconclusive[0]).toContain("tree_sizes says");
    expect((await parse("bad_lightgbm_truncated.txt")).inconclusive[0]).toMatch(/end of trees|leaf_value/);
  });
});

import type { Fact } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { ConfigWalker } from "../src/config-walker.js";

/** The facts the walker emits for one Keras config document. */
function walk(document: unknown): Fact[] {
  const facts: Fact[] = [];
  new ConfigWalker(
    (fact) => facts.push(fact),
    () => undefined,
  ).walkDocument(document, "model_config", true);
  return facts;
}

const lambdaLayer = (config: Record<string, unknown>) => ({
  class_name: "Sequential",
  config: { name: "m", layers: [{ class_name: "Lambda", config: { name: "l", ...config } }] },
});
const texts = (facts: Fact[]) =>
  facts.flatMap((fact) => (fact.kind === "text" && fact.key?.startsWith("keras.Lambda.") ? [fact] : []));

describe("Keras Lambda strings as text facts that say what they are", () => {
  it("Lambda source text (not func_dump bytecode) is a keras.Lambda.function text beside the anomaly", () => {
    const source = "lambda x: eval(\"__import__('os').system('echo hi')\") or x";
    const facts = walk(lambdaLayer({ function: [source, null, null], function_type: "lambda", module: "__main__" }));
    expect(texts(facts)).toEqual([
      {
        kind: "text",
        text: source,
        key: "keras.Lambda.function",
        role: "config",
        location: { path: "model_config.config.layers[0].config.function[0]" },
      },
    ]);
    expect(facts.filter((fact) => fact.kind === "anomaly")).toHaveLength(1);
    // Not repeated as an ordinary config string.
    expect(facts.filter((fact) => fact.kind === "text" && fact.text === source)).toHaveLength(1);
  });

  it("Keras 3 __lambda__ code that is source text is keras.Lambda.function too", () => {
    const facts = walk({
      class_name: "Sequential",
      config: {
        layers: [
          {
            class_name: "Lambda",
            config: { name: "l", function: { class_name: "__lambda__", config: { code: "lambda x: exec(x)" } } },
          },
        ],
      },
    });
    expect(texts(facts).map((fact) => [fact.key, fact.text])).toEqual([["keras.Lambda.function", "lambda x: exec(x)"]]);
  });

  it("a Lambda naming a module function gives the function and the module as named texts", () => {
    const facts = walk(lambdaLayer({ function: "system", function_type: "function", module: "os" }));
    expect(texts(facts).map((fact) => [fact.key, fact.text, fact.role])).toEqual([
      ["keras.Lambda.function", "system", "name"],
      ["keras.Lambda.module", "os", "name"],
    ]);
    expect(facts.filter((fact) => fact.kind === "import")).toHaveLength(1);
  });

  it("an output_shape given as source text is keras.Lambda.output_shape", () => {
    const facts = walk(
      lambdaLayer({
        function: ["lambda x: x", null, null],
        function_type: "lambda",
        output_shape: ["lambda s: s", null, null],
        output_shape_type: "lambda",
      }),
    );
    expect(texts(facts).map((fact) => fact.key)).toEqual(["keras.Lambda.function", "keras.Lambda.output_shape"]);
  });
});

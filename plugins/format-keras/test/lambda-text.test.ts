import type { Fact } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { ConfigWalker } from "../src/config-walker.js";
import { decodeLambda, lenientBase64, rawUnicodeEscape } from "../src/lambda-code.js";

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
  it("Lambda source text (not func_dump bytecode) is a keras.Lambda.function text, and no anomaly", () => {
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
    // func_load cannot make a code object of it, so nothing is left unread: the text is judged, the file is not inconclusive.
    expect(facts.filter((fact) => fact.kind === "anomaly")).toEqual([]);
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

/** marshal.dumps((lambda x: __import__("os").system("echo hi") or x).__code__), Python 3.11.2, base64. */
const OS_SYSTEM_LAMBDA =
  "4wEAAAAAAAAAAAAAAAMAAAADAAAA80oAAACXAHQBAAAAAAAAAAAAAGQBpgEAAKsBAAAAAAAAAACgAQAAAAAAAAAAAAAAAAAAAAAAAAAAZAKmAQAAqwEAAAAAAAAAAHABfABTACkDTtoCb3P6B2VjaG8gaGkpAtoKX19pbXBvcnRfX9oGc3lzdGVtKQHaAXhzAQAAACD6BzxzdGRpbj76CDxsYW1iZGE+cggAAAACAAAAcyEAAACAAKUKqDTRIDDUIDDXIDfSIDe4CdEgQtQgQtAgR8BhgADzAAAAAA==";

describe("Lambda code read the way Keras' func_load reads it", () => {
  it("decodes base64 as binascii.a2b_base64 does (outputs recorded from Python 3.11.2)", () => {
    const python: [string, string | null][] = [
      ["lambda x: x * 2 + 1", null],
      ["YWJj", "616263"],
      ["YWJ=j", "6162"],
      ["YW==Jj", "61"],
      ["YQ=Y", null],
      ["Y=Q==", "61"],
      ["a", null],
      ["abc", null],
      ["ab=c=d", "69b7"],
      ["!!YW Jj==extra", null],
      ["", ""],
    ];
    for (const [input, hex] of python) {
      const decoded = lenientBase64(input);
      expect(decoded === undefined ? null : Buffer.from(decoded).toString("hex"), input).toBe(hex);
    }
    expect(Buffer.from(rawUnicodeEscape("caf\u00e9")).toString("hex")).toBe("636166e9");
    expect(Buffer.from(rawUnicodeEscape("\u20ac")).toString("hex")).toBe("5c7532306163");
    expect(Buffer.from(rawUnicodeEscape("\u{1f600}x")).toString("hex")).toBe("5c55303030316636303078");
  });

  it("finds bytecode hidden among other characters or given as raw bytes, as the loader would", () => {
    const sprinkled = [...OS_SYSTEM_LAMBDA].map((character, index) => (index % 7 === 3 ? `${character}!` : character));
    const raw = Buffer.from(OS_SYSTEM_LAMBDA, "base64").toString("latin1");
    for (const encoded of [OS_SYSTEM_LAMBDA, sprinkled.join(""), raw]) {
      const decoded = decodeLambda(encoded, "p");
      expect(decoded.kind).toBe("bytecode");
      if (decoded.kind === "bytecode") expect(decoded.fact.names).toEqual(expect.arrayContaining(["system", "os"]));
    }
  });

  it("source text is not code to the loader; bytes that start like a code object but do not decode are undecodable", () => {
    expect(decodeLambda("lambda x: x * 2", "p").kind).toBe("not-code");
    expect(decodeLambda("", "p").kind).toBe("not-code");
    const truncated = Buffer.from(OS_SYSTEM_LAMBDA, "base64").subarray(0, 40).toString("base64");
    expect(decodeLambda(truncated, "p").kind).toBe("undecodable");
  });
});

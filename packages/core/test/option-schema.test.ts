import { describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config.js";
import { configJsonSchema } from "../src/config-schema.js";
import { buildRegistry } from "../src/engine/registry.js";
import { validateConfig } from "../src/engine/validate-config.js";
import {
  expected,
  flag,
  optionProblems,
  optionsJsonSchema,
  positiveInteger,
  regExpProblem,
  z,
} from "../src/option-schema.js";
import { definePlugin, validatePlugin } from "../src/plugin.js";

const DIGEST = /^[0-9a-f]{64}$/;

/** A plugin's options as a real detector declares them: bounds, switches, lists, nested objects, a record. */
const schema = z.strictObject({
  maxFindings: positiveInteger().default(10).describe("Most findings per artifact."),
  statistics: flag().optional().describe("Run the statistical tests."),
  mode: z.enum(["fast", "slow"], { error: expected("fast or slow") }).optional(),
  patterns: z
    .array(
      z.strictObject({ regex: z.string(), flags: z.string().optional() }).superRefine((pattern, context) => {
        const problem = regExpProblem(pattern.regex, pattern.flags);
        if (problem) context.addIssue({ code: "custom", path: ["regex"], message: problem });
      }),
    )
    .optional(),
  pins: z.record(z.string(), z.string().regex(DIGEST, { error: expected("a SHA-256 digest") })).optional(),
  nested: z.strictObject({ allow: z.array(z.string()).optional() }).optional(),
});

describe("optionProblems", () => {
  it("accepts valid options and none, and fills defaults when parsed", () => {
    expect(optionProblems(schema, {})).toEqual([]);
    expect(optionProblems(schema, { maxFindings: 3, statistics: false, mode: "fast" })).toEqual([]);
    expect(schema.parse({})).toEqual({ maxFindings: 10 });
  });

  it.each([
    [
      { maxFindingz: 3 },
      ["maxFindingz: unknown option (known: maxFindings, statistics, mode, patterns, pins, nested)"],
    ],
    [{ maxFindings: -1 }, ["maxFindings: expected a positive integer, got -1"]],
    [{ maxFindings: 1.5 }, ["maxFindings: expected a positive integer, got 1.5"]],
    [{ statistics: "yes" }, ['statistics: expected true or false, got "yes"']],
    [{ mode: "medium" }, ['mode: expected fast or slow, got "medium"']],
    [{ nested: { alow: [] } }, ["nested.alow: unknown option (known: allow)"]],
    [
      { patterns: [{ regex: "ok" }, { regex: "(" }] },
      ["patterns[1].regex: Invalid regular expression: /(/: Unterminated group"],
    ],
    [{ patterns: [{ regx: "x", regex: "x" }] }, ["patterns[0].regx: unknown option (known: regex, flags)"]],
    [{ pins: { "models/*.bin": "md5" } }, ['pins["models/*.bin"]: expected a SHA-256 digest, got "md5"']],
  ])("names the key path of %j", (options, problems) => {
    expect(optionProblems(schema, options)).toEqual(problems);
  });

  it("reports every problem, at most 50", () => {
    expect(optionProblems(schema, { maxFindings: 0, mode: "x" })).toHaveLength(2);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`key${index}`, index]));
    expect(optionProblems(schema, many)).toHaveLength(50);
  });

  it("describes the options as JSON Schema for editors: types, enums, defaults, descriptions, no unknown keys", () => {
    const json = optionsJsonSchema(schema) as {
      additionalProperties: unknown;
      properties: Record<string, Record<string, unknown>>;
    };
    expect(json.additionalProperties).toBe(false);
    expect(json.properties.maxFindings).toMatchObject({
      type: "integer",
      exclusiveMinimum: 0,
      default: 10,
      description: "Most findings per artifact.",
    });
    expect(json.properties.mode).toMatchObject({ enum: ["fast", "slow"] });
    expect(json.properties.nested).toMatchObject({ additionalProperties: false });
    expect(json).not.toHaveProperty("$schema");
  });
});

describe("the engine checks options against each plugin's schema", () => {
  const plugin = definePlugin({
    meta: { name: "toy-options", version: "1.0.0", namespace: "toy" },
    apiVersion: 1,
    optionsSchema: schema,
  });

  const config = (options: Record<string, unknown>) => resolveConfig({ extends: [], options: { toy: options } });

  it("prefixes options.<namespace> and stops at the schema before the plugin's own check", async () => {
    const registry = buildRegistry([plugin]);
    expect(await validateConfig(config({ maxFindings: 2 }), registry)).toEqual([]);
    expect(await validateConfig(config({ allowx: 1 }), registry)).toEqual([
      "options.toy.allowx: unknown option (known: maxFindings, statistics, mode, patterns, pins, nested)",
    ]);
    expect(await validateConfig(config({ pins: { "*.bin": "x" } }), registry)).toEqual([
      'options.toy.pins["*.bin"]: expected a SHA-256 digest, got "x"',
    ]);
  });

  it("runs a schema loader only for a namespace the config sets, and checks what it gives", async () => {
    let loads = 0;
    const lazy = definePlugin({
      meta: { name: "toy-lazy", version: "1.0.0", namespace: "toy" },
      apiVersion: 1,
      optionsSchema: async () => {
        loads++;
        return schema;
      },
    });
    expect(validatePlugin(lazy)).toEqual([]);
    const registry = buildRegistry([lazy]);
    expect(await validateConfig(resolveConfig({ extends: [] }), registry)).toEqual([]);
    expect(loads).toBe(0);
    expect(await validateConfig(config({ maxFindings: 0 }), registry)).toEqual([
      "options.toy.maxFindings: expected a positive integer, got 0",
    ]);
    expect(loads).toBe(1);

    const broken = definePlugin({ ...lazy, optionsSchema: async () => ({}) as never });
    expect(await validateConfig(config({}), buildRegistry([broken]))).toEqual([
      "options.toy: toy-lazy failed to check its options: optionsSchema() did not give a zod schema",
    ]);
    expect(validatePlugin({ ...lazy, optionsSchema: { parse: 1 } as never })).toEqual([
      "toy-lazy: optionsSchema must be a zod schema (the z of @modelaudit/core/options) or a function that imports one",
    ]);
  });

  it("puts the schema of each plugin's options in the config's JSON Schema, under its namespace", async () => {
    const lazy = definePlugin({ ...plugin, optionsSchema: async () => schema });
    expect(await configJsonSchema([lazy])).toEqual(await configJsonSchema([plugin]));
    const json = (await configJsonSchema([plugin])) as {
      properties: { options: { properties: Record<string, Record<string, unknown>>; additionalProperties: unknown } };
    };
    expect(json.properties.options.properties.toy).toMatchObject({
      description: "Options of toy-options: maxFindings, statistics, mode, patterns, pins, nested.",
      type: "object",
      additionalProperties: false,
    });
    // A namespace no built-in plugin has (a third-party plugin) stays open here; the engine checks it.
    expect(json.properties.options.additionalProperties).toEqual({ type: "object" });
  });
});

import { z } from "zod";
import { allowEntryRegExp } from "./allow-entry.js";

/**
 * A plugin's options (`options.<namespace>` in the config) as a zod schema: one source for the check at
 * start-up (`optionProblems`), the defaults a detector reads (`schema.parse`) and the JSON Schema editors
 * complete the config file with (`configJsonSchema`). Plugins build it with the `z` core re-exports
 * (`@modelaudit/core/options`), so every schema comes from the same zod as the code that walks it. The
 * engine imports this module only when it needs a schema: zod is about 100 modules to load.
 */
export type OptionsSchema = z.ZodType<Record<string, unknown>>;

export { z };

/** Most problems reported for one plugin's options: a hostile config cannot flood the terminal. */
const MAX_PROBLEMS = 50;

/** An error message for a schema check that quotes the value given: `expected a positive integer, got -1`. */
export function expected(what: string): (issue: { input?: unknown }) => string {
  return (issue) => `expected ${what}, got ${quote(issue.input)}`;
}

/** A count or a bound: a positive integer. */
export function positiveInteger(): z.ZodNumber {
  const error = expected("a positive integer");
  return z.number({ error }).int({ error }).positive({ error });
}

/** A threshold: a positive finite number. */
export function positiveNumber(): z.ZodNumber {
  const error = expected("a positive number");
  return z.number({ error }).positive({ error });
}

/** A switch: true or false. */
export function flag(): z.ZodBoolean {
  return z.boolean({ error: expected("true or false") });
}

/**
 * The problems with `options` against `schema`, each starting with its key path inside the options
 * (`allow[2]: ...`, `licenses.use: ...`, `expectedSha256["*.bin"]: ...`); empty when valid. The engine
 * prefixes `options.<namespace>.`. An unknown key names the keys the schema knows at that place.
 */
export function optionProblems(schema: z.ZodType, options: unknown): string[] {
  const result = schema.safeParse(options, { reportInput: true });
  if (result.success) return [];
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      const list = known ? ` (known: ${known.join(", ")})` : "";
      for (const key of issue.keys) problems.push(`${pathOf([...issue.path, key])}: unknown option${list}`);
    } else {
      const where = pathOf(issue.path);
      // A record key's own check says what is wrong with it; zod's wrapper only says "Invalid key".
      const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      problems.push(where ? `${where}: ${message}` : message);
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** `patterns[0].regex`, `expectedSha256["*.bin"]`: how a user finds the key in their JSON. */
function pathOf(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** The keys of the object schema found at `path`, through optional, default, array and record wrappers. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = current.shape[String(segment)] as z.ZodType | undefined;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodUnion) current = objectOption(current, segment);
    else return undefined;
    current = current && unwrap(current);
  }
  if (current instanceof z.ZodUnion) current = objectOption(current, undefined);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

/** The object branch of a union (`"digest" | { sha256, reason }`), entered by `segment` when given. */
function objectOption(union: z.ZodUnion, segment: PropertyKey | undefined): z.ZodType | undefined {
  const object = union.options
    .map((option) => unwrap(option as z.ZodType))
    .find((option) => option instanceof z.ZodObject);
  if (!(object instanceof z.ZodObject)) return undefined;
  return segment === undefined ? object : (object.shape[String(segment)] as z.ZodType | undefined);
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  // Bounded: wrappers nest a few levels at most in a hand-written schema.
  for (let depth = 0; depth < 16; depth++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      break;
    }
  }
  return current;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The JSON Schema of a plugin's options, for editors (draft 2020-12, as the config schema). */
export function optionsJsonSchema(schema: z.ZodType): Record<string, unknown> {
  // Checks zod cannot express in JSON Schema (a regex that compiles, a license id) stay checks at start-up.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** An allow-list entry: a non-empty string, matched as written, or `/source/flags`, which must compile. */
export function allowEntry(): z.ZodString {
  const error = expected("a non-empty string");
  return z
    .string({ error })
    .min(1, { error })
    .superRefine((entry, context) => {
      try {
        allowEntryRegExp(entry);
      } catch (problem) {
        const message = problem instanceof Error ? problem.message : String(problem);
        context.addIssue({ code: "custom", message, input: entry });
      }
    });
}

/** Why `new RegExp(source, flags)` throws (the engine's message), or undefined when it compiles. */
export function regExpProblem(source: string, flags = ""): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

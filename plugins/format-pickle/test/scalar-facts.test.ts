import { describe, expect, it } from "vitest";
import { MAX_SCALAR_FACTS } from "../src/scalar-facts.js";
import { parse, texts } from "./helpers.js";

/** Protocol 2 opcodes, assembled by hand so the test needs no Python. */
const encoder = new TextEncoder();
const unicode = (text: string) => {
  const bytes = encoder.encode(text);
  return [0x58, bytes.length, 0, 0, 0, ...bytes];
};
const float = (value: number) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return [0x47, ...bytes];
};
const int2 = (value: number) => [0x4d, value & 0xff, value >> 8];
const PROTO = [0x80, 2];
const EMPTY_DICT = 0x7d;
const EMPTY_LIST = 0x5d;
const MARK = 0x28;
const SETITEMS = 0x75;
const TUPLE3 = 0x87;
const APPEND = 0x61;
const NEWTRUE = 0x88;
const STOP = 0x2e;

describe("named scalars of a pickle's value", () => {
  it("emits numbers and booleans as metadata text facts keyed by their path", async () => {
    // {"epsilon": 3.0, "trained": True, "accountant": {"history": [(1.1, 0.01, 500)]}}
    const bytes = Uint8Array.from([
      ...PROTO,
      EMPTY_DICT,
      MARK,
      ...unicode("epsilon"),
      ...float(3),
      ...unicode("trained"),
      NEWTRUE,
      ...unicode("accountant"),
      EMPTY_DICT,
      ...unicode("history"),
      EMPTY_LIST,
      ...float(1.1),
      ...float(0.01),
      ...int2(500),
      TUPLE3,
      APPEND,
      0x73, // SETITEM into the inner dict
      SETITEMS,
      STOP,
    ]);
    const result = await parse(bytes, "checkpoint.pkl");
    const scalars = texts(result)
      .filter((fact) => fact.role === "metadata")
      .map((fact) => [fact.key, fact.text]);
    expect(scalars).toEqual([
      ["epsilon", "3"],
      ["trained", "True"],
      ["accountant.history.0.0", "1.1"],
      ["accountant.history.0.1", "0.01"],
      ["accountant.history.0.2", "500"],
    ]);
  });

  it("does not enter long lists, and stops at the bound", async () => {
    const many = (count: number) => {
      const items: number[] = [];
      for (let index = 0; index < count; index++) items.push(...unicode(`k${index}`), ...int2(index));
      return Uint8Array.from([...PROTO, EMPTY_DICT, MARK, ...items, SETITEMS, STOP]);
    };
    const list = Uint8Array.from([
      ...PROTO,
      EMPTY_LIST,
      MARK,
      ...Array.from({ length: 65 }, () => int2(1)).flat(),
      0x65, // APPENDS
      STOP,
    ]);
    expect(texts(await parse(list, "losses.pkl")).filter((fact) => fact.role === "metadata")).toEqual([]);
    const bounded = texts(await parse(many(MAX_SCALAR_FACTS + 10), "many.pkl"));
    expect(bounded.filter((fact) => fact.role === "metadata").length).toBe(MAX_SCALAR_FACTS);
  });
});

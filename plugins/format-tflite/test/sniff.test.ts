import { readdirSync, readFileSync, statSync } from "node:fs";
import type { SniffInput } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { anomalies } from "./helpers.js";

const ROOT = new URL("../../../tooling/fixtures/", import.meta.url).pathname;
const [handler] = plugin.formats;

function sniffInput(name: string, bytes: Uint8Array): SniffInput {
  const dot = name.lastIndexOf(".");
  return {
    head: bytes.subarray(0, 64 * 1024),
    tail: bytes.subarray(Math.max(0, bytes.length - 65558)),
    size: bytes.length,
    name,
    extension: dot > 0 ? name.slice(dot).toLowerCase() : "",
    parentFormats: [],
  };
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = `${directory}/${entry}`;
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test("claims every TFLite fixture and no file of any other fixture family", () => {
  const families = readdirSync(ROOT).filter((entry) => statSync(`${ROOT}${entry}`).isDirectory());
  expect(families).toContain("tflite");
  let others = 0;
  for (const family of families) {
    for (const file of filesUnder(`${ROOT}${family}`)) {
      if (file.endsWith("manifest.json")) continue;
      // Other families keep TFLite models beside other files (expected tensors, one model per attack string).
      const tflite = family === "tflite" || file.endsWith(".tflite");
      const claimed = handler!.sniff(sniffInput(file.split("/").at(-1)!, readFileSync(file)));
      expect(claimed, file).toBe(tflite);
      if (!tflite) others++;
    }
  }
  expect(others).toBeGreaterThan(20);
});

test("a bare header whose root table has an empty vtable is rejected, not crashed on", async () => {
  const bytes = new Uint8Array([0, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]);
  const result = await parseWith(plugin.formats, "tiny.tflite", bytes);
  expect(result.formats).toEqual(["tflite"]);
  expect(anomalies(result.facts).map((fact) => fact.code)).toEqual(["malformed"]);
  expect(result.inconclusive[0]).toContain("vtable of 0 bytes");
});

test("an operator whose opcode index is past the operator codes is reported", async () => {
  // Point operator[0] of the custom-op model at opcode 9: find the table by its opcode_index field (0).
  const bytes = new Uint8Array(readFileSync(`${ROOT}tflite/custom_op_my_evil_op.tflite`));
  const first = await parseWith(plugin.formats, "model.tflite", bytes);
  const evil = first.facts.find((fact) => fact.kind === "graph-node" && fact.op === "MyEvilOp");
  const table = evil!.location!.offset!;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const vtable = table - view.getInt32(table, true);
  const field = view.getUint16(vtable + 4, true);
  view.setUint32(table + field, 9, true);
  const result = await parseWith(plugin.formats, "model.tflite", bytes);
  expect(result.inconclusive[0]).toContain("uses operator code 9 of 2");
  expect(result.facts.some((fact) => fact.kind === "graph-node" && fact.op === "ADD")).toBe(true);
});

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { SniffInput } from "@modelaudit/core";
import { picklescanCorpus } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import { sniffOnnx } from "../src/sniff.js";
import { FIXTURES, FIXTURES_ROOT, manifest } from "./helpers.js";

const PICKLESCAN = picklescanCorpus();

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function input(file: string, bytes: Uint8Array = readFileSync(file), name = path.basename(file)): SniffInput {
  const dot = name.lastIndexOf(".");
  return {
    head: bytes.subarray(0, 64 * 1024),
    tail: bytes.subarray(Math.max(0, bytes.length - 64 * 1024 - 22)),
    size: bytes.length,
    name,
    extension: dot > 0 ? name.slice(dot).toLowerCase() : "",
    parentFormats: [],
  };
}

describe("the sniffer claims ONNX models only", () => {
  test("every ONNX fixture, and only those, under any name", () => {
    for (const entry of manifest()) {
      const file = `${FIXTURES}${entry.file}`;
      const isModel = entry.file.endsWith(".onnx");
      expect(sniffOnnx(input(file)), entry.file).toBe(isModel);
      // Content decides: renamed, the well-formed models are still claimed; the damaged ones need the extension.
      const renamed = sniffOnnx(input(file, readFileSync(file), "weights.bin"));
      if (entry.expect !== "inconclusive") expect(renamed, `${entry.file} as .bin`).toBe(isModel);
    }
  });

  test.skipIf(!PICKLESCAN)("no file of the picklescan corpus", () => {
    const files = walk(PICKLESCAN as string);
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => sniffOnnx(input(file)))).toEqual([]);
  });

  test("no file of the other fixture families but their ONNX models", () => {
    const families = readdirSync(FIXTURES_ROOT).filter(
      (name) => name !== "onnx" && statSync(path.join(FIXTURES_ROOT, name)).isDirectory(),
    );
    const files = families.flatMap((family) => walk(path.join(FIXTURES_ROOT, family)));
    expect(files.length).toBeGreaterThan(100);
    // ONNX models other families hold: a folder of them (differential-onnx, benign-realism/onnx) or the extension.
    const isOnnx = (file: string) =>
      file.endsWith(".onnx") ||
      (path.relative(FIXTURES_ROOT, file).split(path.sep).includes("differential-onnx") && !file.endsWith(".json"));
    expect(files.filter((file) => sniffOnnx(input(file)))).toEqual(files.filter(isOnnx));
  });

  test("a SavedModel-shaped head (schema version 1, then a binary MetaGraphDef) is not claimed", () => {
    const metaGraph = Uint8Array.from([0x0a, 0x04, 0x12, 0x02, 0x08, 0x01, 0x12, 0x03, 0x0a, 0x01, 0x00]);
    const bytes = Uint8Array.from([0x08, 0x01, 0x12, metaGraph.length, ...metaGraph]);
    expect(sniffOnnx(input("saved_model.pb", bytes))).toBe(false);
    expect(sniffOnnx(input("model.onnx", bytes))).toBe(false);
  });

  test("random bytes, text and a zip header are not claimed", () => {
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state >>> 24;
    };
    for (let round = 0; round < 2000; round++) {
      const bytes = Uint8Array.from({ length: 256 }, next);
      expect(sniffOnnx(input("x.bin", bytes))).toBe(false);
    }
    const text = new TextEncoder().encode('ir_version: 8\nproducer_name: "pytorch"\n');
    expect(sniffOnnx(input("model.onnx", text))).toBe(false);
    expect(sniffOnnx(input("a.zip", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 8, 8, 0x12, 0])))).toBe(false);
  });
});

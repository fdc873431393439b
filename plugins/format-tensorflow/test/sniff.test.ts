import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SniffInput } from "@modelaudit/core";
import { picklescanCorpus, seededRandom as random } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const FIXTURE_ROOT = fileURLToPath(new URL("../../../tooling/fixtures/", import.meta.url));
const PICKLESCAN = picklescanCorpus();

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function sniffInput(name: string, bytes: Uint8Array): SniffInput {
  const base = path.basename(name);
  const dot = base.lastIndexOf(".");
  return {
    head: bytes.subarray(0, 64 * 1024),
    tail: bytes.subarray(Math.max(0, bytes.length - (64 * 1024 + 22))),
    size: bytes.length,
    name: base,
    extension: dot > 0 ? base.slice(dot).toLowerCase() : "",
    parentFormats: [],
  };
}

function claimants(name: string, bytes: Uint8Array): string[] {
  const input = sniffInput(name, bytes);
  return plugin.formats.filter((handler) => handler.sniff(input)).map((handler) => handler.id);
}

describe("sniffers claim only TensorFlow files", () => {
  const otherFamilies = readdirSync(FIXTURE_ROOT).filter(
    // differential-tf holds TensorFlow files in unusual field orders; its own test checks each is claimed.
    // tensors-savedmodel holds checkpoint indexes (checked below and in checkpoint-index.test.ts).
    // tensorflow-file-paths holds SavedModels (file-paths.test.ts checks each is claimed).
    (name) =>
      !["tensorflow", "differential-tf", "tensors-savedmodel", "tensorflow-file-paths"].includes(name) &&
      statSync(path.join(FIXTURE_ROOT, name)).isDirectory(),
  );

  it.each(otherFamilies)("no file of tooling/fixtures/%s is claimed", (family) => {
    // text-channel's TensorFlow canaries and the SavedModels of the every-format matrices are TensorFlow by
    // design (issue 12: the same attack strings in every format); so are linked-paths' checkpoint indexes
    // whose data shards are links (their own test is the preset's manifest test).
    const files = filesUnder(path.join(FIXTURE_ROOT, family)).filter(
      (file) =>
        !file.includes("/canary/tensorflow/") &&
        !file.includes("/tf-savedmodel/") &&
        !/\/linked-paths\/tf-checkpoint-link-[^/]+\/variables\.index$/.test(file),
    );
    expect(files.length).toBeGreaterThan(0);
    const claimed = files.filter((file) => claimants(file, new Uint8Array(readFileSync(file))).length > 0);
    expect(claimed).toEqual([]);
  });

  it.skipIf(!PICKLESCAN)("no file of the picklescan corpus is claimed", () => {
    const files = filesUnder(PICKLESCAN as string);
    expect(files.length).toBeGreaterThan(100);
    const claimed = files.filter((file) => claimants(file, new Uint8Array(readFileSync(file))).length > 0);
    expect(claimed).toEqual([]);
  });

  it("an ONNX ModelProto (ir_version varint first) is not a GraphDef or a SavedModel", () => {
    const producer = new TextEncoder().encode("pytorch");
    // ir_version 1 (the value a SavedModel schema version also has), producer_name, then a graph.
    const onnx = new Uint8Array([0x08, 0x01, 0x12, producer.length, ...producer, 0x3a, 0x02, 0x0a, 0x00]);
    expect(claimants("model.pb", onnx)).toEqual([]);
    expect(claimants("model.onnx", onnx)).toEqual([]);
  });

  it("seeded random data is never claimed under TensorFlow file extensions", () => {
    const next = random(20240);
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(16 + Math.floor(next() * 512)).map(() => Math.floor(next() * 256));
      // Start a quarter of them with a plausible first tag to exercise the deeper checks.
      if (round % 4 === 0) bytes[0] = 0x0a;
      expect(claimants("frozen.pb", bytes)).toEqual([]);
      expect(claimants("model.meta", bytes)).toEqual([]);
    }
  });

  it("of tooling/fixtures/tensors-savedmodel, only the checkpoint indexes are claimed", () => {
    const files = filesUnder(path.join(FIXTURE_ROOT, "tensors-savedmodel"));
    for (const file of files) {
      const expected = file.endsWith(".index") ? ["tensorflow-checkpoint"] : [];
      expect(claimants(file, new Uint8Array(readFileSync(file))), file).toEqual(expected);
    }
  });

  it("a checkpoint index is claimed by its header entry under any name, by the table magic only as .index", () => {
    const bytes = new Uint8Array(
      readFileSync(path.join(FIXTURE_ROOT, "tensors-savedmodel/savedmodel/variables/variables.index")),
    );
    expect(claimants("model.ckpt-1000.index", bytes)).toEqual(["tensorflow-checkpoint"]);
    expect(claimants("checkpoint.bin", bytes)).toEqual(["tensorflow-checkpoint"]);
    // A LevelDB table has the magic but no bundle header: only the name could make it an index.
    const leveldb = bytes.slice();
    leveldb[2] = 0x7f;
    expect(claimants("000005.ldb", leveldb)).toEqual([]);
    expect(claimants("variables.index", leveldb)).toEqual(["tensorflow-checkpoint"]);
  });

  it("seeded random data is never claimed as a checkpoint index", () => {
    const next = random(20241);
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(48 + Math.floor(next() * 512)).map(() => Math.floor(next() * 256));
      // Start half of them like a bundle's first entry to exercise the header check.
      if (round % 2 === 0) bytes.set([0, 0, 6, 0x08, 0x01], 0);
      expect(claimants("weights.bin", bytes)).toEqual([]);
    }
  });

  it("saved_model.pb and keras_metadata.pb are claimed by name whatever they hold", () => {
    expect(claimants("saved_model.pb", new Uint8Array([1, 2, 3]))).toEqual(["tensorflow-savedmodel"]);
    expect(claimants("keras_metadata.pb", new Uint8Array(0))).toEqual(["tensorflow-keras-metadata"]);
  });

  it("sniffers sharing one head walk give each the verdict it gets alone, on TensorFlow files cut and mutated", () => {
    // The walk of a head from offset 0 is shared by the sniffers that call on the same head; a fresh
    // copy of the head per sniffer walks it anew. The verdicts must not depend on which one walked first.
    const protobufs = filesUnder(path.join(FIXTURE_ROOT, "tensorflow")).filter((file) => /\.(pb|meta)$/.test(file));
    expect(protobufs.length).toBeGreaterThan(3);
    const next = random(7717);
    let claimedShared = 0;
    for (const file of protobufs) {
      const original = new Uint8Array(readFileSync(file));
      for (let round = 0; round < 40; round++) {
        const bytes = original.slice(0, 1 + Math.floor(next() * Math.min(original.length, 4096)));
        for (let flips = Math.floor(next() * 3); flips > 0; flips--) {
          bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
        }
        for (const name of ["graph.pb", "model.meta", "blob.bin"]) {
          const shared = sniffInput(name, bytes);
          const order = round % 2 === 0 ? plugin.formats : [...plugin.formats].reverse();
          const together = new Set(order.filter((handler) => handler.sniff(shared)).map((handler) => handler.id));
          const alone = plugin.formats.filter((handler) => handler.sniff(sniffInput(name, bytes.slice())));
          expect([...together].sort(), `${file} round ${round} as ${name}`).toEqual(alone.map((h) => h.id).sort());
          claimedShared += together.size;
        }
      }
    }
    // Not a test of empty verdicts only: many cut and mutated files are still claimed.
    expect(claimedShared).toBeGreaterThan(100);
  });

  it("a SavedModel under another name is still recognised by content", () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURE_ROOT, "tensorflow/savedmodel-benign/saved_model.pb")));
    expect(claimants("exported.pb", bytes)).toEqual(["tensorflow-savedmodel"]);
  });
});

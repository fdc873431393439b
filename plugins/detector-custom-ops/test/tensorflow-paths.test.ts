import type { Fact } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanFacts, verdicts } from "./facts-handler.js";

// What format-tensorflow emits for a file, checkpoint or table op: its graph-node fact, then a path
// reference keyed by the op for every literal path it is given (the Const its input resolves to).
const node = (op: string, path: string): Fact => ({
  kind: "graph-node",
  framework: "tensorflow",
  op,
  name: op.toLowerCase(),
  location: { path },
});
const path = (op: string, target: string, at: string): Fact => ({
  kind: "reference",
  target,
  referenceKind: "path",
  key: op,
  location: { path: at },
});
const op = (name: string, target: string, at = "meta_graph[0]/graph/node[3]"): Fact[] => [
  node(name, at),
  path(name, target, at),
];

const cases: [string, Fact[], string[]][] = [
  [
    "Save to /root/.bashrc writes it",
    op("Save", "/root/.bashrc"),
    ["critical custom-ops/external-data-traversal", "critical custom-ops/tensorflow-file-op"],
  ],
  [
    "SaveV2 and SaveSlices to an absolute prefix",
    [...op("SaveV2", "/root/.config/autostart/x"), ...op("SaveSlices", "/etc/cron.d/x", "graph/node[4]")],
    [
      ...Array(2).fill("critical custom-ops/external-data-traversal"),
      ...Array(2).fill("critical custom-ops/tensorflow-file-op"),
    ],
  ],
  [
    "MergeV2Checkpoints deletes what it merges",
    op("MergeV2Checkpoints", "/root/important/ckpt"),
    ["critical custom-ops/external-data-traversal", "critical custom-ops/tensorflow-file-op"],
  ],
  [
    "a lookup table filled from /etc/passwd, V1 and V2",
    [
      ...op("InitializeTableFromTextFileV2", "/etc/passwd"),
      ...op("InitializeTableFromTextFile", "../../etc/shadow", "graph/node[4]"),
    ],
    [
      ...Array(2).fill("critical custom-ops/external-data-traversal"),
      ...Array(2).fill("critical custom-ops/tensorflow-file-op"),
    ],
  ],
  [
    "variables restored from a checkpoint outside the model: a note (fine-tuned exports keep warm-start restores)",
    [
      ...op("RestoreV2", "gs://attacker-bucket/ckpt"),
      ...op("Restore", "~/ckpt", "graph/node[4]"),
      ...op("RestoreSlice", "/data/ckpt", "graph/node[5]"),
    ],
    [
      ...Array(3).fill("info custom-ops/external-data-traversal"),
      ...Array(3).fill("info custom-ops/tensorflow-file-op"),
    ],
  ],
  [
    "ReadFile, WriteFile and MatchingFiles: the op is reported once, the path by its effect",
    [
      ...op("ReadFile", "/etc/passwd"),
      ...op("WriteFile", "/root/.bashrc", "graph/node[4]"),
      ...op("MatchingFiles", "/home/*/.ssh/*", "graph/node[5]"),
    ],
    [
      "critical custom-ops/external-data-traversal",
      "critical custom-ops/external-data-traversal",
      "critical custom-ops/tensorflow-file-op",
      "info custom-ops/external-data-traversal",
      "warning custom-ops/tensorflow-file-op",
      "warning custom-ops/tensorflow-file-op",
    ],
  ],
];

describe("TensorFlow ops given a literal path outside the model", () => {
  it.each(cases)("%s", async (_name, facts, expected) => {
    expect(verdicts(await scanFacts(facts))).toEqual(expected);
  });

  it("says what the op does there", async () => {
    const report = await scanFacts([
      ...op("Save", "/root/.bashrc"),
      ...op("MergeV2Checkpoints", "/root/important/ckpt", "graph/node[4]"),
    ]);
    expect(
      report.findings
        .filter((finding) => finding.ruleId === "custom-ops/tensorflow-file-op")
        .map((finding) => finding.message)
        .sort(),
    ).toEqual([
      "TensorFlow op MergeV2Checkpoints at graph/node[4] merges checkpoints at /root/important/ckpt, outside the model's directory (it is absolute), deleting the merged files (with delete_old_dirs their directories)",
      "TensorFlow op Save at meta_graph[0]/graph/node[3] writes /root/.bashrc, outside the model's directory (it is absolute), when it runs",
    ]);
  });
});

describe("the forms TensorFlow writes stay clean", () => {
  it.each([
    // The saver's filename is fed at run time: no reference at all, only the ops.
    [
      "placeholder-fed checkpoint ops",
      ["Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints", "RestoreV2"].map((name, index) =>
        node(name, `graph/node[${index}]`),
      ),
    ],
    ["a TF1 saver's relative default name", [...op("SaveV2", "model"), ...op("RestoreV2", "model", "graph/node[4]")]],
    [
      "tables on the model's assets",
      [
        ...op("InitializeTableFromTextFileV2", "assets/vocab.txt"),
        ...op("InitializeTableFromTextFile", "labels.txt", "graph/node[4]"),
      ],
    ],
    ["a relative shard prefix", op("MergeV2Checkpoints", "variables/variables_temp/part-00000-of-00001")],
  ])("%s", async (_name, facts) => {
    expect(verdicts(await scanFacts(facts))).toEqual([]);
  });
});

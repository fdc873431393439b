import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { graphNodes, references, scanCollecting } from "./helpers.js";

// tooling/fixtures/torchscript-resolver: what torch.jit.load compiled (`reached`) is what the handler reads.
const FOLDER = new URL("../../../tooling/fixtures/torchscript-resolver/", import.meta.url).pathname;

interface Entry {
  file: string;
  reached: { ops?: string[]; paths?: string[] };
}

const entries = (JSON.parse(readFileSync(`${FOLDER}manifest.json`, "utf8")) as Entry[]).filter((entry) =>
  entry.file.endsWith(".pt"),
);

test.each(entries.map((entry) => [entry.file, entry] as const))(
  "%s: the operators and paths the loader reached",
  async (file, entry) => {
    const collected = await scanCollecting(file, readFileSync(`${FOLDER}${file}`));
    expect(collected.report.files[0]!.reasons).toEqual([]);
    const ops = new Set(graphNodes(collected).map((node) => `${node.domain}::${node.op}`));
    for (const op of entry.reached.ops ?? []) expect(ops, `${file} reaches ${op}`).toContain(op);
    const targets = new Set(references(collected).map((reference) => reference.target));
    for (const path of entry.reached.paths ?? []) expect(targets, `${file} reaches ${path}`).toContain(path);
    if ((entry.reached.ops ?? []).length === 0) expect(references(collected)).toEqual([]);
  },
);

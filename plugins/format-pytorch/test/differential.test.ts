import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { graphNodes, references, scanCollecting } from "./helpers.js";

// tooling/fixtures/differential-torchscript: scripted modules that map or write files from forward,
// each with what torch.jit.load compiled (file operators of the inlined graphs and their paths).
const DIFFERENTIAL = new URL("../../../tooling/fixtures/differential-torchscript/", import.meta.url).pathname;

interface Entry {
  file: string;
  reached: { ops?: string[]; paths?: string[]; members?: string[] };
}

const entries = JSON.parse(readFileSync(`${DIFFERENTIAL}manifest.json`, "utf8")) as Entry[];

test.each(entries.map((entry) => [entry.file, entry] as const))(
  "%s: the operators and paths the loader reached",
  async (file, entry) => {
    const collected = await scanCollecting(file, readFileSync(`${DIFFERENTIAL}${file}`));
    expect(collected.report.files[0]!.reasons).toEqual([]);
    const ops = new Set(graphNodes(collected).map((node) => `${node.domain}::${node.op}`));
    for (const op of entry.reached.ops ?? []) expect(ops, `${file} reaches ${op}`).toContain(op);
    const targets = new Set(references(collected).map((reference) => reference.target));
    for (const path of entry.reached.paths ?? []) expect(targets, `${file} reaches ${path}`).toContain(path);
    if (!entry.reached.ops) expect(references(collected)).toEqual([]);
  },
);

test("a file name passed in by a caller: every path-like literal of the member is a possible argument", async () => {
  const file = "from_file_in_submodule_helper.pt";
  const collected = await scanCollecting(file, readFileSync(`${DIFFERENTIAL}${file}`));
  expect(references(collected).map((reference) => [reference.target, reference.key])).toEqual([
    ["/tmp/modelaudit-fixture", "torch file operator argument"],
  ]);
});

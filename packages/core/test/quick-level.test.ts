import { describe, expect, it } from "vitest";
import type { TensorFact } from "../src/facts.js";
import { API_VERSION, definePlugin, type FormatHandler, type ScanLevel } from "../src/plugin.js";
import { SliceSource } from "../src/source.js";
import { scanBytes } from "../src/testing/index.js";

// A checkpoint-like container: `QBOX\n<json>\n<data>`, whose JSON names in-place members and tensors
// whose data is a whole member (as a torch zip's storages are). The quick level reads structure only:
// a member that is all declared tensor data is not sniffed (so not read); other members are.

interface Description {
  members: { name: string; start: number; length: number }[];
  tensors: { name: string; member: string; length: number }[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const boxHandler: FormatHandler = {
  id: "qbox",
  description: "test checkpoint container",
  sniff: ({ head }) => decoder.decode(head.subarray(0, 5)) === "QBOX\n",
  async parse(context) {
    const all = await context.source.read(0, context.source.size);
    const newline = all.indexOf(10, 5);
    const description = JSON.parse(decoder.decode(all.subarray(5, newline))) as Description;
    const base = newline + 1;
    for (const tensor of description.tensors) {
      const fact: TensorFact = {
        kind: "tensor",
        name: tensor.name,
        dtype: "f32",
        formatDtype: "<f4",
        shape: [tensor.length / 4],
        byteOrder: "little",
        data: { member: tensor.member, offset: 0, length: tensor.length },
      };
      context.emit(fact);
    }
    for (const member of description.members) {
      await context.scanChild(
        member.name,
        new SliceSource(member.name, context.source, base + member.start, member.length),
      );
    }
  },
};

/** A handler that claims nothing and records every name it was asked to sniff. */
function sniffRecorder() {
  const sniffed: string[] = [];
  const plugin = definePlugin({
    meta: { name: "sniff-recorder", version: "0" },
    apiVersion: API_VERSION,
    formats: [
      {
        id: "never",
        description: "records sniffs",
        sniff: ({ name }) => {
          sniffed.push(name);
          return false;
        },
        parse: () => undefined,
      },
    ],
  });
  return { plugin, sniffed };
}

const qbox = definePlugin({ meta: { name: "qbox", version: "0" }, apiVersion: API_VERSION, formats: [boxHandler] });

function qboxBytes(description: Description, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const header = encoder.encode(`QBOX\n${JSON.stringify(description)}\n`);
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(data, header.length);
  return bytes;
}

/** A container whose first member (an index, as a torch zip's data.pkl) declares a tensor in its sibling storage member. */
function checkpoint(): Uint8Array {
  const index = qboxBytes({ members: [], tensors: [{ name: "w", member: "storage-0", length: 32 }] });
  const data = new Uint8Array(index.length + 64).fill(7);
  data.set(index);
  return qboxBytes(
    {
      members: [
        { name: "index.qbox", start: 0, length: index.length },
        { name: "storage-0", start: index.length, length: 32 },
        { name: "notes.txt", start: index.length + 32, length: 32 },
      ],
      tensors: [],
    },
    data,
  );
}

describe("the quick level", () => {
  it.each([
    ["quick", ["model.qbox", "index.qbox", "notes.txt"]],
    ["standard", ["model.qbox", "index.qbox", "storage-0", "notes.txt"]],
  ] as [ScanLevel, string[]][])("at %s sniffs %j", async (level, expected) => {
    const { plugin, sniffed } = sniffRecorder();
    const report = await scanBytes("model.qbox", checkpoint(), [qbox, plugin], { level });
    expect(sniffed).toEqual(expected);
    expect(report.files[0]).toMatchObject({ outcome: "clean", members: 3, reasons: [] });
  });
});

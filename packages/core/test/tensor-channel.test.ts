import { describe, expect, it } from "vitest";
import type { TensorFact } from "../src/facts.js";
import {
  API_VERSION,
  definePlugin,
  type FormatHandler,
  type ScanLevel,
  type TensorConsumer,
  type TensorStream,
  type TensorSubscription,
} from "../src/plugin.js";
import { BufferSource, SliceSource, type Source } from "../src/source.js";
import { scanBytes } from "../src/testing/index.js";

/**
 * A test container: `TBOX\n<json>\n<data>`. The JSON lists members (in-place slices of the data, or
 * copies standing for inflated members), tensor facts (data ranges relative to the data section
 * when in place) and decoded tensors (hex bytes handed over with emitTensor, or a source that stops short).
 */
interface BoxDescription {
  members?: { name: string; start: number; length: number; inflated?: boolean }[];
  tensors?: Omit<TensorFact, "kind">[];
  decoded?: { fact: Omit<TensorFact, "kind">; hex: string; shortBy?: number }[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function box(description: BoxDescription, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const header = encoder.encode(`TBOX\n${JSON.stringify(description)}\n`);
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(data, header.length);
  return bytes;
}

/** A source that claims more bytes than it gives (a decoder that fails part way). */
class ShortSource implements Source {
  readonly name = "short";
  constructor(
    private readonly bytes: Uint8Array,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
}

const boxHandler: FormatHandler = {
  id: "tbox",
  description: "test container",
  sniff: ({ head }) => decoder.decode(head.subarray(0, 5)) === "TBOX\n",
  async parse(context) {
    const all = await context.source.read(0, context.source.size);
    const newline = all.indexOf(10, 5);
    const description = JSON.parse(decoder.decode(all.subarray(5, newline))) as BoxDescription;
    const base = newline + 1;
    for (const tensor of description.tensors ?? []) {
      const fact: TensorFact = { kind: "tensor", ...tensor };
      if (fact.data && fact.data.member === undefined) fact.data = { ...fact.data, offset: fact.data.offset + base };
      context.emit(fact);
    }
    for (const { fact, hex, shortBy } of description.decoded ?? []) {
      const bytes = Uint8Array.from(Buffer.from(hex, "hex"));
      const source = shortBy
        ? new ShortSource(bytes.subarray(0, bytes.length - shortBy), bytes.length)
        : new BufferSource("decoded", bytes);
      context.emitTensor({ kind: "tensor", ...fact }, source);
    }
    for (const member of description.members ?? []) {
      const slice = new SliceSource(member.name, context.source, base + member.start, member.length);
      const child = member.inflated ? new BufferSource(member.name, (await slice.read(0, slice.size)).slice()) : slice;
      await context.scanChild(member.name, child);
    }
  },
};

interface Received {
  name: string;
  bytes: number[];
  offsets: number[];
  aligned: boolean;
  complete?: boolean;
  dataOffset: number;
  dataChain: string;
}

function tensorRecorder(
  subscription: TensorSubscription = {},
  sharedKey?: string,
  id = sharedKey ?? "own",
  levels?: readonly ScanLevel[],
) {
  const received: Received[] = [];
  let sharedCreated = 0;
  const plugin = definePlugin({
    meta: { name: `tensor-recorder-${id}`, version: "0", namespace: `tensors-${id}` },
    apiVersion: API_VERSION,
    detectors: [
      {
        id: "tensor-recorder",
        description: "records tensor data",
        facts: [],
        tensors: subscription,
        ...(levels ? { levels } : {}),
        rules: [],
        create: () => ({
          onTensor(tensor: TensorStream): TensorConsumer {
            const entry: Received = {
              name: tensor.fact.name,
              bytes: [],
              offsets: [],
              aligned: true,
              dataOffset: tensor.dataOffset,
              dataChain: tensor.dataOrigin.memberChain.join(">"),
            };
            received.push(entry);
            const consumer: TensorConsumer = {
              data(chunk, offset) {
                for (const byte of chunk) entry.bytes.push(byte);
                entry.offsets.push(offset);
                if (chunk.length % tensor.info.blockBytes !== 0) entry.aligned = false;
                if (tensor.info.blockElements === 1 && chunk.byteOffset % tensor.info.blockBytes !== 0)
                  entry.aligned = false;
              },
              end(complete) {
                entry.complete = complete;
              },
            };
            if (sharedKey) {
              return tensor.shared(sharedKey, () => {
                sharedCreated++;
                return consumer;
              });
            }
            return consumer;
          },
        }),
      },
    ],
  });
  return { plugin, received, sharedCount: () => sharedCreated };
}

const tbox = definePlugin({ meta: { name: "tbox", version: "0" }, apiVersion: API_VERSION, formats: [boxHandler] });

function f32(name: string, offset: number, count: number, extra: Partial<TensorFact> = {}): Omit<TensorFact, "kind"> {
  return {
    name,
    dtype: "f32",
    formatDtype: "<f4",
    shape: [count],
    byteOrder: "little",
    data: { offset, length: count * 4 },
    ...extra,
  };
}

const sixteen = Uint8Array.from({ length: 16 }, (_, index) => index + 1);

describe("the tensor channel", () => {
  it("delivers a tensor's bytes at the levels the detector runs at (never quick), whole elements, aligned", async () => {
    const data = new Uint8Array(17);
    data.set(sixteen, 1); // offset 1 within the data section: misaligned in the file
    const file = box({ tensors: [f32("w", 1, 4)] }, data);
    const cases: [ScanLevel, readonly ScanLevel[] | undefined, boolean][] = [
      ["quick", undefined, false],
      ["standard", undefined, true],
      ["standard", ["thorough"], false],
      ["thorough", undefined, true],
      ["thorough", ["standard", "thorough"], true],
    ];
    for (const [level, levels, delivered] of cases) {
      const { plugin, received } = tensorRecorder({}, undefined, "own", levels);
      const report = await scanBytes("m.tbox", file, [tbox, plugin], { level });
      expect(report.files[0]?.outcome).toBe("clean");
      if (!delivered) {
        expect(received, `${level} ${levels}`).toEqual([]);
        continue;
      }
      expect(received, `${level} ${levels}`).toHaveLength(1);
      expect(received[0]).toMatchObject({
        name: "w",
        bytes: [...sixteen],
        aligned: true,
        complete: true,
        dataChain: "",
      });
    }
  });

  it("asks for a tensor's consumer when its data starts, in data order: one tensor's state alive at a time", async () => {
    // Declared in reverse order of their data: the consumers are created as the data comes.
    const file = box({ tensors: [f32("late", 8, 2), f32("early", 0, 2)] }, sixteen);
    const events: string[] = [];
    let open = 0;
    let mostOpen = 0;
    const plugin = definePlugin({
      meta: { name: "tensor-order", version: "0", namespace: "tensor-order" },
      apiVersion: API_VERSION,
      detectors: [
        {
          id: "order",
          description: "records when consumers exist",
          facts: [],
          tensors: {},
          rules: [],
          create: () => ({
            onTensor(tensor: TensorStream): TensorConsumer {
              events.push(`open ${tensor.fact.name}`);
              mostOpen = Math.max(mostOpen, ++open);
              return {
                data: () => undefined,
                end: () => {
                  open--;
                  events.push(`end ${tensor.fact.name}`);
                },
              };
            },
          }),
        },
      ],
    });
    await scanBytes("m.tbox", file, [tbox, plugin], { level: "standard" });
    expect(events).toEqual(["open early", "end early", "open late", "end late"]);
    expect(mostOpen).toBe(1);
  });

  it("delivers big-endian data little-endian", async () => {
    const file = box({ tensors: [f32("be", 0, 2, { byteOrder: "big" })] }, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const { plugin, received } = tensorRecorder();
    await scanBytes("m.tbox", file, [tbox, plugin], { level: "thorough" });
    expect(received[0]?.bytes).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });

  it("finds a tensor's data in a sibling member, whichever is scanned first, stored or inflated", async () => {
    for (const inflated of [false, true]) {
      const declaring = box({
        tensors: [f32("layer.weight", 0, 4, { data: { member: "data/0", offset: 0, length: 16 } })],
      });
      const data = new Uint8Array(declaring.length + 16);
      data.set(declaring);
      data.set(sixteen, declaring.length);
      const file = box(
        {
          members: [
            { name: "data.pkl", start: 0, length: declaring.length },
            { name: "data/0", start: declaring.length, length: 16, inflated },
          ],
        },
        data,
      );
      const { plugin, received } = tensorRecorder();
      const report = await scanBytes("m.tbox", file, [tbox, plugin], { level: "thorough" });
      expect(report.files[0]?.outcome, `inflated: ${inflated}`).toBe("clean");
      expect(received).toEqual([
        expect.objectContaining({ name: "layer.weight", bytes: [...sixteen], complete: true, dataChain: "data/0" }),
      ]);
    }
    // Data member first, stored: its bytes are still ahead in the one pass.
    const declaring = box({ tensors: [f32("late", 0, 4, { data: { member: "data/0", offset: 0, length: 16 } })] });
    const data = new Uint8Array(16 + declaring.length);
    data.set(sixteen);
    data.set(declaring, 16);
    const members = (inflated: boolean) => [
      { name: "data/0", start: 0, length: 16, inflated },
      { name: "data.pkl", start: 16, length: declaring.length },
    ];
    const stored = tensorRecorder();
    const storedReport = await scanBytes("m.tbox", box({ members: members(false) }, data), [tbox, stored.plugin], {
      level: "thorough",
    });
    expect(storedReport.files[0]?.outcome).toBe("clean");
    expect(stored.received[0]?.bytes).toEqual([...sixteen]);
    // An inflated member read before the tensor was declared is gone: said, never clean.
    const gone = tensorRecorder();
    const goneReport = await scanBytes("m.tbox", box({ members: members(true) }, data), [tbox, gone.plugin], {
      level: "thorough",
    });
    expect(goneReport.files[0]?.outcome).toBe("inconclusive");
    expect(goneReport.files[0]?.reasons.join("\n")).toMatch(/declared after its data's source was read/);
  });

  it("is inconclusive when a tensor's data is missing or runs past the end", async () => {
    const declaring = box({ tensors: [f32("w", 0, 4, { data: { member: "data/9", offset: 0, length: 16 } })] });
    const missing = box({ members: [{ name: "data.pkl", start: 0, length: declaring.length }] }, declaring);
    const past = box({ tensors: [f32("w", 0, 8)] }, sixteen);
    for (const level of ["standard", "thorough"] as const) {
      const missingReport = await scanBytes("m.tbox", missing, [tbox], { level });
      expect(missingReport.files[0]?.outcome).toBe("inconclusive");
      expect(missingReport.files[0]?.reasons.join("\n")).toMatch(/member "data\/9", which the archive does not hold/);
      const pastReport = await scanBytes("m.tbox", past, [tbox], { level });
      expect(pastReport.files[0]?.outcome).toBe("inconclusive");
      expect(pastReport.files[0]?.reasons.join("\n")).toMatch(/past the end/);
    }
  });

  it("reads handler-decoded tensors and says when one stops short", async () => {
    const hex = Buffer.from(sixteen).toString("hex");
    const fact = { ...f32("decoded", 0, 4), data: undefined };
    const { plugin, received } = tensorRecorder();
    const report = await scanBytes("m.tbox", box({ decoded: [{ fact, hex }] }), [tbox, plugin], { level: "thorough" });
    expect(report.files[0]?.outcome).toBe("clean");
    expect(received[0]).toMatchObject({ name: "decoded", bytes: [...sixteen], complete: true });
    const short = tensorRecorder();
    const shortReport = await scanBytes("m.tbox", box({ decoded: [{ fact, hex, shortBy: 6 }] }), [tbox, short.plugin], {
      level: "thorough",
    });
    expect(shortReport.files[0]?.outcome).toBe("inconclusive");
    expect(short.received[0]).toMatchObject({ bytes: [...sixteen.subarray(0, 8)], complete: false });
    expect(shortReport.files[0]?.reasons.join("\n")).toMatch(
      /"decoded" could not be read to its end \(10 of 16 bytes\)/,
    );
  });

  it("hands GGML blocks whole across the engine's read chunks", async () => {
    const chunk = 4 * 1024 * 1024;
    const blocks = Math.ceil(chunk / 34) + 2;
    const data = new Uint8Array(3 + blocks * 34);
    for (let index = 0; index < data.length; index++) data[index] = index % 251;
    const file = box(
      {
        tensors: [
          {
            name: "blk.0.ffn_up.weight",
            dtype: "q8_0",
            formatDtype: "Q8_0",
            shape: [blocks * 32],
            byteOrder: "little",
            data: { offset: 3, length: blocks * 34 },
          },
        ],
      },
      data,
    );
    const { plugin, received } = tensorRecorder({ classes: ["quantized"] });
    await scanBytes("m.tbox", file, [tbox, plugin], { level: "thorough" });
    const entry = received[0] as Received;
    expect(entry.aligned).toBe(true);
    expect(entry.offsets.length).toBeGreaterThan(1);
    expect(entry.bytes.length).toBe(blocks * 34);
    expect(entry.bytes.every((byte, index) => byte === (index + 3) % 251)).toBe(true);
  });

  it("offers tensors by subscription, and one shared consumer serves every detector asking for it", async () => {
    const file = box(
      {
        tensors: [
          f32("small", 0, 1),
          { ...f32("ints", 4, 2), dtype: "i32", formatDtype: "<i4" },
          f32("attention.mask", 12, 1),
        ],
      },
      sixteen,
    );
    const floats = tensorRecorder({ classes: ["float"], minElements: 1, name: /mask/ });
    await scanBytes("m.tbox", file, [tbox, floats.plugin], { level: "thorough" });
    expect(floats.received.map((entry) => entry.name)).toEqual(["attention.mask"]);

    const first = tensorRecorder({}, "stats", "first");
    const second = tensorRecorder({}, "stats", "second");
    await scanBytes("m.tbox", file, [tbox, first.plugin, second.plugin], { level: "thorough" });
    // The first detector's factory made the consumer; the second got the same one, fed once.
    expect(first.sharedCount()).toBe(3);
    expect(second.sharedCount()).toBe(0);
    expect(first.received.map((entry) => entry.bytes.length)).toEqual([4, 8, 4]);
  });
});

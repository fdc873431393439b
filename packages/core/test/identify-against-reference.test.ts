import { describe, expect, it } from "vitest";
import type { Registry } from "../src/engine/registry.js";
import { identifyBytes } from "../src/engine/sniff.js";
import { KernelMemory } from "../src/engine/wasm-kernel.js";
import type { FormatHandler, IdentifyOptions, IdentifyResult } from "../src/plugin.js";
import { seededRandom } from "../src/testing/random.js";
import {
  ascii,
  FIRST_PARTY_HANDLERS,
  handler,
  hex,
  identifyReference,
  MAX_CANDIDATES,
  SNIFF_HEAD,
  SNIFF_TAIL,
} from "./identify-reference.js";

// `identifyBytes` against the algorithm it replaced: the same sniffs with the same inputs, the same
// result, on random bytes with real handlers' magics planted in them.

/** Every offset from 1 on where one of the handler's magics occurs, once each, in order: its candidates uncapped. */
function candidateOffsets(handler: FormatHandler, bytes: Uint8Array): number[] {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets = new Set<number>();
  for (const magic of handler.magic ?? []) {
    if (magic.length === 0) continue;
    for (let offset = haystack.indexOf(magic, 1); offset !== -1; offset = haystack.indexOf(magic, offset + 1)) {
      offsets.add(offset);
    }
  }
  return [...offsets].sort((left, right) => left - right);
}

const HANDLERS: FormatHandler[] = [
  ...FIRST_PARTY_HANDLERS,
  // One magic a prefix of another, one listed twice, a zero-length one (skipped).
  handler("overlap", [ascii("MA"), ascii("MAG!"), ascii("MAG!"), new Uint8Array(0)]),
  // A 1-byte magic beside a 2-byte one of the same handler, sharing a first byte with pe's and overlap's.
  handler("single", [ascii("M"), ascii("Mq")]),
  // A magic whose first two bytes are pe's: both handlers are candidates wherever "MZ" occurs.
  handler("mz-long", [ascii("MZ\x90\x00")]),
  {
    id: "no-magic",
    description: "sniffs offset 0 only",
    sniff: ({ head }) => (head[0] ?? 1) % 2 === 0,
    parse: () => undefined,
  },
];

const ALL_MAGICS = HANDLERS.flatMap((one) => one.magic ?? []).filter((magic) => magic.length > 0);

/** The handlers with every sniff recorded (which handler, which input) into `calls`. */
function recorded(handlers: readonly FormatHandler[]) {
  const calls: string[] = [];
  const wrapped = handlers.map(
    (one): FormatHandler => ({
      ...one,
      sniff: (input) => {
        const { head, tail } = input;
        calls.push(
          [
            one.id,
            input.size,
            head.byteOffset,
            head.length,
            tail.byteOffset,
            tail.length,
            input.name,
            input.extension,
            input.parentFormats.length,
            input.embedded,
          ].join(" "),
        );
        return one.sniff(input);
      },
    }),
  );
  return { registry: { handlers: wrapped } as unknown as Registry, calls };
}

/** The result with its `limited` flag, for toEqual. */
const plain = (result: IdentifyResult) => ({ found: [...result], limited: result.limited });

/** Asserts the new and the reference identify sniff the same (handler, input) pairs and answer the same. */
function expectSameAsReference(handlers: readonly FormatHandler[], bytes: Uint8Array, options?: IdentifyOptions) {
  const { registry, calls } = recorded(handlers);
  return expectSameOn(registry, calls, bytes, options);
}

function expectSameOn(registry: Registry, calls: string[], bytes: Uint8Array, options?: IdentifyOptions) {
  calls.length = 0;
  const reference = identifyReference(registry, bytes, options);
  const referenceCalls = calls.splice(0).sort();
  const result = identifyBytes(registry, bytes, options);
  expect(calls.sort()).toEqual(referenceCalls);
  expect(plain(result)).toEqual(plain(reference));
  return result;
}

/** Random bytes with magics planted: some at random offsets, some at 0, at the end, or cut off by the end. */
function plantedBytes(random: () => number, length: number): Uint8Array {
  // A spare byte before and after, so that the bytes may start at any alignment.
  const backing = new Uint8Array(length + 8);
  for (let index = 0; index < backing.length; index++) backing[index] = Math.floor(random() * 256);
  const start = Math.floor(random() * 4);
  const view = backing.subarray(start, start + length);
  const pick = () => ALL_MAGICS[Math.floor(random() * ALL_MAGICS.length)]!;
  const plant = (magic: Uint8Array, offset: number) => {
    if (offset >= 0 && offset < view.length) view.set(magic.subarray(0, view.length - offset), offset);
  };
  for (let count = Math.floor(random() * (2 + view.length / 64)); count > 0; count--) {
    plant(pick(), Math.floor(random() * view.length));
  }
  const roll = random();
  if (roll < 0.25) plant(pick(), 0);
  else if (roll < 0.5) {
    const magic = pick();
    plant(magic, view.length - magic.length);
  } else if (roll < 0.75) {
    // Cut off: only the first bytes of a magic fit.
    const magic = pick();
    plant(magic, view.length - Math.max(1, magic.length - 1));
  }
  return view;
}

const OPTIONS: IdentifyOptions[] = [
  {},
  { magicOnly: true },
  // Few handlers: their magics are searched natively, or by the SIMD filter from 64 KiB on.
  { formats: ["elf", "pe", "mach-o"], magicOnly: true },
  { formats: ["single", "overlap", "no-magic"] },
  // Most handlers: the table is scanned.
  { formats: HANDLERS.map((one) => one.id).filter((id) => id !== "zip"), magicOnly: true },
];

describe("identify against the per-magic search it replaced", () => {
  it("sniffs the same offsets with the same inputs on random bytes with planted magics, at every alignment", () => {
    const random = seededRandom(41);
    const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 63, 64, 65, 66, 67, 100, 257, 1000, 4099, 16 * 1024];
    for (let round = 0; round < 6; round++) {
      for (const length of [...lengths, 200 + Math.floor(random() * 5000)]) {
        const bytes = plantedBytes(random, length);
        for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
      }
    }
  });

  it("sees past the sniffed head: windows longer than 64 KiB, magics near the end", () => {
    const random = seededRandom(7);
    for (const length of [SNIFF_HEAD + 100, SNIFF_TAIL * 2 + 3]) {
      const bytes = plantedBytes(random, length);
      bytes.set(hex("cafebabe00"), length - 5);
      bytes.set(ascii("MA"), length - 2);
      for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
    }
  });

  it("finds magics at the first offsets, the last offsets and in every position of a word", () => {
    for (let offset = 0; offset < 80; offset++) {
      for (const magic of [ascii("M"), ascii("MZ"), ascii("MAG!"), hex("feedfacf"), ascii("#!")]) {
        const bytes = new Uint8Array(80);
        bytes.set(magic.subarray(0, bytes.length - offset), offset);
        for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
        for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes.subarray(1, 79), options);
      }
    }
  });

  it("sniffs a handler once where several of its magics match, and a prefix shared by two handlers for both", () => {
    const bytes = ascii("xxMAG!MAG!xMZ\x90\x00MqM#!\x80\x02\xfe\xed\xfa\xcfMA");
    for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
    const { registry, calls } = recorded(HANDLERS);
    identifyBytes(registry, bytes, { magicOnly: true });
    const at = (offset: number) => calls.filter((call) => bytes.length - Number(call.split(" ")[1]) === offset);
    const sniffedAt = (offset: number) => at(offset).map((call) => call.split(" ")[0]);
    expect(sniffedAt(2)).toEqual(["overlap", "single"]);
    expect(sniffedAt(11)).toEqual(["pe", "single", "mz-long"]);
    expect(sniffedAt(15)).toEqual(["single"]);
  });

  it("limits candidates exactly past MAX_CANDIDATES, however they are searched", () => {
    for (const count of [MAX_CANDIDATES, MAX_CANDIDATES + 1, 3 * MAX_CANDIDATES]) {
      // `MZ` then a byte that makes the sniffer say yes.
      const bytes = ascii(`x${"MZ\x02".repeat(count)}PK\x03\x04\x00`);
      for (const options of [{}, { magicOnly: true }, { formats: ["pe", "zip"] }]) {
        const result = expectSameAsReference(HANDLERS, bytes, options);
        expect(result.limited).toBe(count > MAX_CANDIDATES ? true : undefined);
        const pe = result.filter(({ format, offset }) => format === "pe" && offset > 0);
        expect(pe).toHaveLength(Math.min(count, MAX_CANDIDATES));
        // Handlers past the flood are still searched: the zip magic after it.
        expect(result.at(-1)).toEqual({ format: "zip", offset: 1 + 3 * count });
      }
    }
  });

  it("searches a flooded handler again in the next call with the same registry", () => {
    const { registry, calls } = recorded(HANDLERS);
    const flood = ascii(`x${"MZ\x02".repeat(MAX_CANDIDATES + 10)}`);
    const plain16k = plantedBytes(seededRandom(3), 16 * 1024);
    plain16k.set(ascii("MZ\x02"), 999);
    for (const options of [{ magicOnly: true }, { formats: ["pe"] }]) {
      expect(expectSameOn(registry, calls, flood, options).limited).toBe(true);
      const again = expectSameOn(registry, calls, plain16k, options);
      expect(again).toContainEqual({ format: "pe", offset: 999 });
    }
  });

  it("finds magics after a flood of magics' first bytes that match nothing", () => {
    const random = seededRandom(13);
    for (const flood of ["feedfe", "feedfacd", "MZ", "MA", "\x80\x01", "PK\x03"]) {
      for (const repeat of [100, 5000, 20_000]) {
        const tail = plantedBytes(random, 3000);
        const bytes = new Uint8Array(1 + flood.length * repeat + tail.length + 6);
        bytes.set(ascii(flood.repeat(repeat)), 1);
        bytes.set(tail, 1 + flood.length * repeat);
        bytes.set(hex("feedfacf0002"), bytes.length - 6);
        for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
      }
    }
  });

  it("keeps a handler that shares a flooded pair with a finished one", () => {
    const bytes = ascii(`x${"MZ\x02".repeat(MAX_CANDIDATES + 10)}MZ\x90\x00\x02`);
    const result = expectSameAsReference(HANDLERS, bytes, { magicOnly: true });
    expect(result.limited).toBe(true);
    expect(result.at(-1)).toEqual({ format: "mz-long", offset: 1 + 3 * (MAX_CANDIDATES + 10) });
  });

  it("sniffs the first MAX_CANDIDATES offsets in offset order when one handler's several magics flood", () => {
    // pickle's magics alternate: the old search took all of one magic's offsets before the next one's.
    const pickle = HANDLERS.filter(({ id }) => id === "pickle" || id === "zip").reverse();
    const parts: string[] = [];
    for (let index = 0; index < MAX_CANDIDATES + 500; index++) parts.push(index % 3 === 0 ? "80050a" : "80020a");
    const bytes = hex(`00${parts.join("")}504b030400`);
    for (const options of [{}, { formats: ["pickle", "zip"] }, { formats: ["pickle"] }]) {
      const { registry, calls } = recorded(pickle);
      const reference = identifyReference(registry, bytes, options);
      calls.length = 0;
      const result = identifyBytes(registry, bytes, options);
      expect(result.limited).toBe(true);
      expect(reference.limited).toBe(true);
      const candidates = candidateOffsets(pickle[0]!, bytes);
      expect(candidates.length).toBeGreaterThan(MAX_CANDIDATES);
      const sniffedAt = calls
        .filter((call) => call.startsWith("pickle "))
        .map((call) => bytes.length - Number(call.split(" ")[1]));
      expect(sniffedAt.filter((offset) => offset > 0)).toEqual(candidates.slice(0, MAX_CANDIDATES));
      // What the other handlers found is unchanged.
      const others = (found: IdentifyResult) => found.filter(({ format }) => format !== "pickle");
      expect(others(result)).toEqual(others(reference));
      if (!options.formats || options.formats.includes("zip")) {
        expect(result.at(-1)).toEqual({ format: "zip", offset: bytes.length - 5 });
      }
    }
  });

  it("is not confused by a sniffer that identifies other bytes with another registry while it searches", () => {
    const inner = { handlers: HANDLERS.slice(0, 6) } as unknown as Registry;
    const nested: FormatHandler = {
      ...handler("nested", [ascii("#!")]),
      sniff: ({ head }) => identifyBytes(inner, head.subarray(0, 4096)).length % 2 === 0,
    };
    const random = seededRandom(9);
    for (let round = 0; round < 8; round++) {
      const bytes = plantedBytes(random, 20_000);
      for (let at = 100; at < bytes.length; at += 1500) bytes.set(ascii("#!"), at);
      for (const options of OPTIONS) expectSameAsReference([...HANDLERS, nested], bytes, options);
    }
  });

  it("follows a handler list that changes: another array, a handler added, a magic replaced", () => {
    const bytes = ascii("..MZ\x02..PK\x03\x04\x00..#!\x02");
    const { registry, calls } = recorded(HANDLERS);
    expectSameOn(registry, calls, bytes, { magicOnly: true });
    const claimsAll: FormatHandler = { ...handler("late", [ascii("..")]), sniff: () => true };
    registry.handlers.push(claimsAll);
    const withLate = expectSameOn(registry, calls, bytes, { magicOnly: true });
    expect(withLate.filter(({ format }) => format === "late").map(({ offset }) => offset)).toEqual([0, 5, 12]);
    registry.handlers[registry.handlers.length - 1] = { ...claimsAll, magic: [ascii("#!")] };
    const replaced = expectSameOn(registry, calls, bytes, { magicOnly: true });
    expect(replaced.filter(({ format }) => format === "late").map(({ offset }) => offset)).toEqual([14]);
    // The same handlers in another array (another registry) are indexed for it.
    expectSameAsReference(registry.handlers, bytes, { magicOnly: true });
  });

  it("finds magics across the SIMD filter's blocks and groups of 16 offsets", () => {
    const random = seededRandom(13);
    const bytes = plantedBytes(random, 3 * 65536 + 40);
    // Around each block's end (offsets from 1: 65536, 131072, 196608) and a group's.
    for (const at of [15, 16, 17, 31, 32, 65533, 65535, 65536, 65537, 65551, 131070, 131072, 196607, 196609]) {
      bytes.set(ALL_MAGICS[at % ALL_MAGICS.length]!.subarray(0, bytes.length - at), at);
    }
    bytes.set(hex("feedfacf"), bytes.length - 4);
    for (const options of OPTIONS) expectSameAsReference(HANDLERS, bytes, options);
    expectSameAsReference(HANDLERS, bytes.subarray(1, 65538), { magicOnly: true });
  });

  it("finds the same in bytes read into a chunk area of the KernelMemory (searched in place), up to the area's end", () => {
    const memory = KernelMemory.get();
    if (memory === null) return;
    const random = seededRandom(17);
    const bytes = plantedBytes(random, 2 * 65536 + 77);
    bytes.set(hex("7f454c46"), bytes.length - 4);
    const area = memory.chunk(4 * 1024 * 1024)!;
    try {
      // At the area's start and at its very end: the SIMD filter reads a few vectors past the bytes.
      for (const at of [0, 5, area.length - bytes.length]) {
        const placed = area.subarray(at, at + bytes.length);
        placed.set(bytes);
        for (const options of OPTIONS) expectSameAsReference(HANDLERS, placed, options);
      }
    } finally {
      memory.giveBack(area);
    }
  });
});

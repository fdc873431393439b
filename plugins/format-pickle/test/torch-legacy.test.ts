import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anomalies, bytes, codes, fixture, parse, SHARED_FIXTURES, tensors } from "./helpers.js";

const sharedLegacy = path.join(SHARED_FIXTURES, "torch_legacy_state_dict.pt");

describe("legacy torch.save files", () => {
  it("reads the five pickles and the storage records (real torch 1.13 output)", async () => {
    const data = fixture("torch-legacy.pt");
    const result = await parse(data, "torch-legacy.pt");
    expect(result.formats).toEqual(["pickle", "pytorch-legacy"]);
    expect(codes(result)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
    const storages = tensors(result);
    expect(storages.map((fact) => [fact.name, fact.dtype, fact.formatDtype, fact.shape])).toEqual([
      ["weight", "f32", "FloatStorage", [2, 3]],
      ["bias", "f32", "FloatStorage", [2]],
    ]);
    const last = storages.at(-1);
    expect((last?.data?.offset ?? 0) + (last?.data?.length ?? 0)).toBe(data.length);
  });

  it.skipIf(!safeExists(sharedLegacy))("reads the shared legacy fixture cleanly", async () => {
    const result = await parse(new Uint8Array(readFileSync(sharedLegacy)));
    expect(result.formats).toContain("pytorch-legacy");
    expect(codes(result)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
  });

  it("flags a storage size record that disagrees with the model pickle", async () => {
    const data = fixture("torch-legacy.pt").slice();
    const first = tensors(await parse(data))[0];
    const recordOffset = (first?.data?.offset ?? 8) - 8;
    data[recordOffset] = 5; // 6 elements declared in the pickle, 5 in the record
    const result = await parse(data);
    // The loader refuses the mismatch; the records after it no longer line up either.
    expect(anomalies(result)[0]).toMatchObject({
      code: "malformed",
      message: expect.stringMatching(/holds 5 elements.*declares 6/),
    });
  });

  it("reports cut storage data as truncated and extra bytes as trailing data", async () => {
    const data = fixture("torch-legacy.pt");
    const cut = await parse(data.subarray(0, data.length - 3));
    expect(codes(cut)).toEqual(["truncated"]);
    expect(cut.inconclusive).toHaveLength(1);
    const extra = await parse(bytes(data, "\x00\x01\x02 junk"));
    expect(codes(extra)).toEqual(["trailing-data"]);
  });
});

function safeExists(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

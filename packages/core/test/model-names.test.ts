import { describe, expect, it } from "vitest";
import { unclaimedModelReason } from "../src/engine/model-names.js";

describe("unclaimed sources named like models", () => {
  it("are unread, not clean", () => {
    expect(unclaimedModelReason("model.pkl", ".pkl", 4096)).toMatch(/no format handler recognises/);
    expect(unclaimedModelReason("pytorch_model.bin", ".bin", 0)).toMatch(/is empty/);
    expect(unclaimedModelReason("model.joblib.xz", ".xz", 10)).toMatch(/\.joblib\.xz/);
    // The members of torch's legacy tar checkpoint, each a pickle torch.load reads.
    expect(unclaimedModelReason("storages", "", 10)).toMatch(/torch tar member/);
    expect(unclaimedModelReason("checkpoint/pickle", "", 10)).toMatch(/torch tar member/);
  });

  it("leave other names alone", () => {
    expect(unclaimedModelReason("README.md", ".md", 100)).toBeUndefined();
    expect(unclaimedModelReason("notes.txt.gz", ".gz", 100)).toBeUndefined();
    expect(unclaimedModelReason("archive.gz", ".gz", 100)).toBeUndefined();
    expect(unclaimedModelReason("fingerprint.pb", ".pb", 100)).toBeUndefined();
    expect(unclaimedModelReason("pickle.txt", ".txt", 100)).toBeUndefined();
    expect(unclaimedModelReason("LICENSE", "", 100)).toBeUndefined();
  });
});

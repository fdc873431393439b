import { describe, expect, it } from "vitest";
import { unclaimedModelReason } from "../src/engine/model-names.js";

describe("unclaimed sources named like models", () => {
  it("are unread, not clean", () => {
    expect(unclaimedModelReason("model.pkl", ".pkl", 4096)).toMatch(/no format handler recognises/);
    expect(unclaimedModelReason("pytorch_model.bin", ".bin", 0)).toMatch(/is empty/);
    expect(unclaimedModelReason("model.joblib.xz", ".xz", 10)).toMatch(/\.joblib\.xz/);
  });

  it("leave other names alone", () => {
    expect(unclaimedModelReason("README.md", ".md", 100)).toBeUndefined();
    expect(unclaimedModelReason("notes.txt.gz", ".gz", 100)).toBeUndefined();
    expect(unclaimedModelReason("archive.gz", ".gz", 100)).toBeUndefined();
    expect(unclaimedModelReason("fingerprint.pb", ".pb", 100)).toBeUndefined();
  });
});

import { FORMATS } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { extensionOf, judgeExtension } from "../src/extension-mismatch.js";
import { CONTENT_CLASS, EXTENSION_TABLE } from "../src/extension-table.js";

describe("judgeExtension", () => {
  it.each([
    ["model.safetensors", ["pickle"], "critical"],
    ["model.gguf", ["pickle"], "critical"],
    ["arr.npy", ["pickle"], "critical"],
    ["config.json", ["pickle"], "critical"],
    ["model.onnx", ["joblib"], "critical"],
    ["model.h5", ["pickle"], "critical"],
    ["notes.txt", ["pickle"], "critical"],
    ["model.pt", ["elf"], "critical"],
    ["pytorch_model.bin", ["pe"], "critical"],
    ["model.safetensors", ["mach-o"], "critical"],
    ["model.pt", ["zip", "elf"], "critical"],
    ["model.safetensors", ["zip"], "warning"],
    ["model.pt", ["safetensors"], "warning"],
    ["model.safetensors", ["shebang-script"], "warning"],
    ["archive.zip", ["pickle"], "warning"],
    ["model.pt", ["keras-h5"], "warning"],
    // A zip that is not torch's under a pickle name.
    ["model.pkl", ["zip"], "warning"],
  ] as const)("%s holding %j is %s", (name, labels, severity) => {
    expect(judgeExtension(name, labels)?.severity).toBe(severity);
  });

  it.each([
    ["pytorch_model.bin", ["pickle"]],
    ["model.pt", ["pickle"]],
    ["model.pth", ["zip", "pytorch-zip"]],
    ["model.ckpt", ["pickle"]],
    ["model.pkl", ["pickle"]],
    // torch.save under a pickle name: Accelerate's RNG states file.
    ["random_states_0.pkl", ["pytorch-zip", "zip"]],
    ["model.pickle", ["zip", "pytorch-zip"]],
    ["model.joblib", ["zlib"]],
    ["model.dat", ["pickle"]],
    ["model.data", ["pickle"]],
    ["weights.npz", ["zip"]],
    ["model.keras", ["zip"]],
    ["model.keras", ["keras-h5", "keras"]],
    ["model.h5", ["keras-h5", "keras"]],
    ["weights.hdf5", ["keras-h5"]],
    ["pytorch_model.bin", ["zip"]],
    ["model.safetensors", ["safetensors"]],
    ["arr.npy", ["numpy", "pickle"]],
    ["config.json", ["huggingface-config"]],
    ["config.json", []],
    ["run.sh", ["shebang-script"]],
    ["payload", ["elf"]],
    ["tool.exe", ["pe"]],
    ["model.safetensors", ["some-future-format"]],
  ] as const)("%s holding %j is normal", (name, labels) => {
    expect(judgeExtension(name, labels)).toBeNull();
  });

  it("reads the extension of member paths, case-insensitively", () => {
    expect(extensionOf("archive/data.PKL")).toBe(".pkl");
    expect(extensionOf("a.b/c")).toBe("");
    expect(extensionOf(".hidden")).toBe("");
    expect(extensionOf("dir\\model.Safetensors")).toBe(".safetensors");
  });

  it("table data is consistent: every expected label has a content class", () => {
    for (const [extension, expectation] of Object.entries(EXTENSION_TABLE)) {
      expect(extension).toMatch(/^\.[a-z0-9]+$/);
      for (const label of expectation.expected) expect(CONTENT_CLASS[label], `${extension}: ${label}`).toBeDefined();
    }
  });

  it("judges only labels a handler gives (or this plugin's own universal-binary label)", () => {
    const known = new Set<string>([...Object.values(FORMATS), "mach-o-universal"]);
    for (const label of Object.keys(CONTENT_CLASS)) expect(known.has(label), label).toBe(true);
  });
});

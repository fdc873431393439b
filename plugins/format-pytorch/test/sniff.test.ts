import type { SniffInput } from "@modelaudit/core";
import { expect, test } from "vitest";
import plugin from "../src/index.js";

const [handler] = plugin.formats;
const encode = (text: string) => new TextEncoder().encode(text);

function input(name: string, bytes: Uint8Array, parentFormats: string[]): SniffInput {
  const dot = name.lastIndexOf(".");
  return {
    head: bytes,
    tail: bytes,
    size: bytes.length,
    name,
    extension: dot > 0 ? name.slice(dot) : "",
    parentFormats,
  };
}

const CODE = encode("class M(Module):\n  def forward(self: __torch__.M, x: Tensor) -> Tensor:\n    return x\n");

test("claims TorchScript code members and extra files of torch zips only", () => {
  expect(handler!.sniff(input("__torch__.py", CODE, ["zip", "pytorch-zip"]))).toBe(true);
  expect(handler!.sniff(input("__torch__.py", CODE, ["zip"]))).toBe(true);
  expect(handler!.sniff(input("notes.txt", encode("hello"), ["zip", "pytorch-zip"]))).toBe(true);
  // Not inside a zip, not text outside a torch zip, torch's own files, storages, pickles, plain Python in a plain zip.
  expect(handler!.sniff(input("__torch__.py", CODE, []))).toBe(false);
  // A `.py` member of a torch zip is source to torch.jit.load whatever its bytes (a NUL in a comment loads):
  // it is claimed and read as text; bytes that are not UTF-8 make the scan inconclusive.
  expect(handler!.sniff(input("__torch__.py", new Uint8Array([0x80, 2, 0, 0x2e]), ["zip", "pytorch-zip"]))).toBe(true);
  expect(handler!.sniff(input("__torch__.py", encode("#\u0000\ntorch.save(x, 'p')\n"), ["zip", "pytorch-zip"]))).toBe(
    true,
  );
  expect(handler!.sniff(input("model.py", new Uint8Array([0x80, 2, 0, 0x2e]), ["zip"]))).toBe(false);
  for (const name of ["version", "byteorder", ".format_version", "serialization_id", "data.pkl", "constants.pkl"]) {
    expect(handler!.sniff(input(name, encode("3\n"), ["zip", "pytorch-zip"])), name).toBe(false);
  }
  expect(handler!.sniff(input("0", encode("abcd"), ["zip", "pytorch-zip"]))).toBe(false);
  expect(handler!.sniff(input("__torch__.py.debug_pkl", encode("abcd"), ["zip", "pytorch-zip"]))).toBe(false);
  expect(handler!.sniff(input("setup.py", encode("print('hello')\n"), ["zip"]))).toBe(false);
  expect(handler!.sniff(input("notes.txt", encode("hello"), ["zip"]))).toBe(false);
});

import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { hasNpyMagic } from "./npy-magic.js";

export const numpyHandler: FormatHandler = {
  id: FORMATS.numpy,
  description: "NumPy .npy arrays (also .npz members); object arrays hold a pickle",
  magic: [Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)], // \x93NUMPY
  sniff(input) {
    return hasNpyMagic(input.head);
  },
  async parse(context) {
    const { parseNumpy } = await import("./numpy-parse.js");
    return parseNumpy(context);
  },
};

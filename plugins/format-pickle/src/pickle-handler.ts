import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { looksLikeImportingPickle, looksLikePickle } from "./looks-like-pickle.js";

export const pickleHandler: FormatHandler = {
  id: FORMATS.pickle,
  description: "Python pickle streams (protocols 0-5), including joblib, dill, cloudpickle and legacy torch.save files",
  // Pickles may start with any opcode, so `identify` checks every sniffer at offset 0; embedded copies
  // are found where a binary pickle announces itself (PROTO 2-5), as every pickler since Python 2.3 writes.
  magic: [2, 3, 4, 5].map((protocol) => Uint8Array.of(0x80, protocol)),
  sniff(input) {
    if (input.embedded) return looksLikeImportingPickle(input.head);
    return looksLikePickle(input.head, input.size > input.head.length, input.size);
  },
  async parse(context) {
    const { parsePickle } = await import("./pickle-reader.js");
    return parsePickle(context);
  },
};

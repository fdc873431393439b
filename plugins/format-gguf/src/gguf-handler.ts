import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";

const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"

/** GGUF (llama.cpp): header, metadata key/values, tensor infos, aligned tensor data. */
export const ggufHandler: FormatHandler = {
  id: FORMATS.gguf,
  description: "GGUF models: metadata strings, chat templates and tensor layout",
  sniff(input: SniffInput): boolean {
    return MAGIC.every((byte, index) => input.head[index] === byte);
  },
  async parse(context) {
    const { parseGgufFile } = await import("./gguf-parse.js");
    return parseGgufFile(context);
  },
};

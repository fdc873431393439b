import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { looksLikeTar } from "./tar-header.js";

export const tarHandler: FormatHandler = {
  id: FORMATS.tar,
  description:
    "Tar archive (ustar, pax, GNU and v7 headers, walked by offset); members are scanned as zero-copy slices",
  sniff: ({ head }) => looksLikeTar(head),
  // The header walker is imported on the first tar.
  parse: async (context) => (await import("./tar-parse.js")).parseTar(context),
};

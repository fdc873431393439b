import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { deepSearchCandidate, SIGNATURE, sevenZipAfterPrefix, startsWithSignature } from "./signature.js";

export const sevenZipHandler: FormatHandler = {
  id: FORMATS.sevenZip,
  description: "7z archive (own header parser; LZMA, LZMA2, deflate, bzip2, zstd and copy coders); members are scanned",
  magic: [Uint8Array.from(SIGNATURE)],
  // At offset 0, or behind a prefix in the sniffed head when its start header checks (7-Zip opens those);
  // an executable or `.exe` past the head is probed: the parser looks further (an SFX stub) and labels
  // the file 7z only if it finds an archive.
  sniff: ({ head, embedded, extension, size }) => {
    if (startsWithSignature(head)) return true;
    if (embedded) return false;
    if (sevenZipAfterPrefix(head) > 0) return true;
    return deepSearchCandidate(head, extension, size) ? "probe" : false;
  },
  // The header parser and the coders are imported on the first 7z archive, not at start-up.
  parse: async (context) => (await import("./parse-seven-zip.js")).parseSevenZip(context),
};

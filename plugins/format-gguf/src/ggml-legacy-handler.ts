import { FORMATS, type FormatHandler, type ParseContext, type SniffInput } from "@modelaudit/core";

/** Pre-GGUF llama.cpp files, identified by a little-endian u32 magic. */
const MAGICS: Readonly<Record<string, { name: string; versioned: boolean }>> = {
  lmgg: { name: FORMATS.ggml, versioned: false },
  fmgg: { name: FORMATS.ggmf, versioned: true },
  tjgg: { name: FORMATS.ggjt, versioned: true },
  algg: { name: FORMATS.ggla, versioned: true },
};

function magicOf(head: Uint8Array): string {
  return String.fromCharCode(...head.subarray(0, 4));
}

/**
 * Legacy GGML/GGMF/GGJT files: recognised and reported, not parsed. Their layout depends on the
 * model architecture (the hyper-parameters are not self-describing), so the file stays inconclusive.
 */
export const ggmlLegacyHandler: FormatHandler = {
  id: FORMATS.ggml,
  description: "legacy GGML/GGMF/GGJT llama.cpp files (recognised, not fully parsed)",
  sniff(input: SniffInput): boolean {
    return input.size >= 8 && Object.hasOwn(MAGICS, magicOf(input.head));
  },
  async parse(context: ParseContext): Promise<void> {
    const head = await context.source.read(0, 8);
    const magic = MAGICS[magicOf(head)];
    if (!magic) return;
    let label = magic.name;
    if (magic.versioned && head.length >= 8) {
      const version = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true);
      label += ` v${version}`;
    }
    context.addFormat(magic.name);
    context.emit({
      kind: "anomaly",
      code: "unusual-structure",
      message: `legacy ${label} file: llama.cpp no longer loads it; its layout was not parsed`,
      location: { offset: 0 },
    });
    context.inconclusive(`legacy GGML layout (${label}) not fully parsed`);
  },
};

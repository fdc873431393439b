/**
 * Test-only format handlers standing in for format-archive/format-pickle, format-safetensors,
 * format-huggingface and format-numpy (packages this one must not depend on): just enough to turn the
 * fixtures into the facts and nested sources real handlers give. Never used outside tests.
 */
import {
  API_VERSION,
  BufferSource,
  definePlugin,
  type FormatHandler,
  type ParseContext,
  readAll,
  type TextFact,
} from "@modelaudit/core";

const MAX_TEST_BYTES = 64 * 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}
function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;
}

/** Stored (uncompressed) zip members become children, as torch.save writes them. */
const storedZipHandler: FormatHandler = {
  id: "zip",
  description: "test-only stored-zip reader",
  sniff: ({ head }) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4,
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    let end = bytes.length - 22;
    while (end >= 0 && u32(bytes, end) !== 0x06054b50) end--;
    if (end < 0) return context.inconclusive("no end record");
    let offset = u32(bytes, end + 16);
    for (let index = 0; index < u16(bytes, end + 10); index++) {
      const size = u32(bytes, offset + 20);
      const nameLength = u16(bytes, offset + 28);
      const name = utf8.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
      const local = u32(bytes, offset + 42);
      offset += 46 + nameLength + u16(bytes, offset + 30) + u16(bytes, offset + 32);
      const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
      await context.scanChild(name, new BufferSource(name, bytes.subarray(dataStart, dataStart + size)));
    }
  },
};

/** Pickle strings (BINUNICODE `X`, SHORT_BINUNICODE 0x8c) become string-constant facts, in order. */
const pickleStringsHandler: FormatHandler = {
  id: "pickle",
  description: "test-only pickle string reader",
  sniff: ({ name }) => name.endsWith(".pkl"),
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    let index = 0;
    while (index < bytes.length) {
      const opcode = bytes[index] as number;
      const wide = opcode === 0x58;
      if (!wide && opcode !== 0x8c) {
        index++;
        continue;
      }
      const length = wide ? u32(bytes, index + 1) : (bytes[index + 1] as number);
      const start = index + (wide ? 5 : 2);
      if (start + length > bytes.length) {
        index++;
        continue;
      }
      try {
        const text = utf8.decode(bytes.subarray(start, start + length));
        if (text.length >= 4) {
          context.emit({ kind: "text", text, role: "string-constant", location: { offset: index } });
        }
        index = start + length;
      } catch {
        index++;
      }
    }
  },
};

/** safetensors `__metadata__` values become metadata text facts; tensor data ranges become tensor facts. */
const safetensorsHandler: FormatHandler = {
  id: "safetensors",
  description: "test-only safetensors header reader",
  sniff: ({ extension }) => extension === ".safetensors",
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(utf8.decode(bytes.subarray(8, 8 + length))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(header)) {
      if (name === "__metadata__") {
        for (const [key, text] of Object.entries(value as Record<string, string>)) {
          const path = `__metadata__.${key}`;
          context.emit({ kind: "text", text, key: path, role: "metadata", location: { path } });
        }
      } else {
        const [start, stop] = (value as { data_offsets: [number, number] }).data_offsets;
        context.emit({
          kind: "tensor",
          name,
          dtype: "F32",
          shape: [],
          dataOffset: 8 + length + start,
          dataLength: stop - start,
        });
      }
    }
  },
};

/** JSON files: string values become config facts; a tokenizer's vocabulary becomes vocabulary facts. */
const jsonHandler: FormatHandler = {
  id: "json",
  description: "test-only JSON walker",
  sniff: ({ extension }) => extension === ".json",
  async parse(context: ParseContext) {
    const value: unknown = JSON.parse(utf8.decode(await readAll(context.source, MAX_TEST_BYTES)));
    const tokenizer = context.source.name.endsWith("tokenizer.json");
    const walk = (node: unknown, path: string, role: TextFact["role"]): void => {
      if (typeof node === "string") context.emit({ kind: "text", text: node, key: path, role });
      else if (Array.isArray(node)) {
        for (const [index, item] of node.entries()) walk(item, `${path}[${index}]`, role);
      } else if (typeof node === "object" && node !== null) {
        for (const [key, child] of Object.entries(node)) {
          const childPath = path ? `${path}.${key}` : key;
          if (tokenizer && key === "vocab") {
            for (const piece of Object.keys(child as object)) {
              context.emit({ kind: "text", text: piece, key: "model.vocab", role: "vocabulary" });
            }
          } else walk(child, childPath, role);
        }
      }
    };
    walk(value, "", "config");
  },
};

/** Markdown model cards: front matter and link lines are documentation facts (the body is left to raw bytes). */
const markdownHandler: FormatHandler = {
  id: "model-card",
  description: "test-only model card reader",
  sniff: ({ extension }) => extension === ".md",
  async parse(context: ParseContext) {
    const lines = utf8.decode(await readAll(context.source, MAX_TEST_BYTES)).split("\n");
    lines.forEach((text, index) => {
      if (text.trim()) context.emit({ kind: "text", text, role: "documentation", location: { line: index + 1 } });
    });
  },
};

/** `.npy`: the data after the header is one tensor. */
const npyHandler: FormatHandler = {
  id: "numpy",
  description: "test-only .npy header reader",
  sniff: ({ head }) => head[0] === 0x93 && head[1] === 0x4e,
  async parse(context: ParseContext) {
    const head = await context.source.read(0, 12);
    const headerLength = u16(head, 8);
    const dataOffset = 10 + headerLength;
    context.emit({
      kind: "tensor",
      name: "array",
      dtype: "<f4",
      shape: [],
      dataOffset,
      dataLength: context.source.size - dataOffset,
    });
  },
};

export const testHandlers = definePlugin({
  meta: { name: "test-handlers", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [storedZipHandler, pickleStringsHandler, safetensorsHandler, jsonHandler, markdownHandler, npyHandler],
});

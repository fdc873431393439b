import type { FormatHandler } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";

/**
 * Test-only handler: reads the stored (uncompressed) members of a torch.jit.save zip and emits each
 * `code/*.py` member as a torchscript `code` fact, as the PyTorch handler does. Only what the
 * fixtures need: stored members, no zip64.
 */
const torchscriptZipHandler: FormatHandler = {
  id: "test-torchscript-zip",
  description: "test-only: TorchScript code members of stored zips as code facts",
  sniff: (input) => input.extension === ".pt" && input.head[0] === 0x50 && input.head[1] === 0x4b,
  async parse(context) {
    const bytes = await context.source.read(0, context.source.size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = bytes.length - 22;
    while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
    if (end < 0) return context.inconclusive("no zip end record");
    const count = view.getUint16(end + 10, true);
    let offset = view.getUint32(end + 16, true);
    for (let index = 0; index < count; index++) {
      if (view.getUint32(offset, true) !== 0x02014b50) return context.inconclusive("bad central directory");
      const method = view.getUint16(offset + 10, true);
      const size = view.getUint32(offset + 20, true);
      const nameLength = view.getUint16(offset + 28, true);
      const extraLength = view.getUint16(offset + 30, true);
      const commentLength = view.getUint16(offset + 32, true);
      const local = view.getUint32(offset + 42, true);
      const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
      offset += 46 + nameLength + extraLength + commentLength;
      if (method !== 0 || !/\/code\/.*\.py$/.test(name)) continue;
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const text = new TextDecoder().decode(bytes.subarray(start, start + size));
      context.emit({ kind: "code", language: "torchscript", text, location: { path: name } });
    }
  },
};

export const torchscriptZipPlugin = definePlugin({
  meta: { name: "test-torchscript-zip", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [torchscriptZipHandler],
});

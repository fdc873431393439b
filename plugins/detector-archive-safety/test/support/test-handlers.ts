/**
 * Test-only format handlers. They stand in for plugins/format-archive (a separate package this one
 * must not depend on) so the detector can be fed real zip/tar fixtures, and for synthetic cases a
 * JSON description becomes entry/anomaly facts and nested children. Never used outside tests.
 */
import { inflateRawSync } from "node:zlib";
import {
  type AnomalyFact,
  API_VERSION,
  BufferSource,
  definePlugin,
  type EntryFact,
  type FormatHandler,
  type ParseContext,
  readAll,
} from "@modelaudit/core";

const MAX_TEST_BYTES = 64 * 1024 * 1024;
/** Members declaring more are not inflated: the real handler stops at its ratio bound the same way. */
const MAX_INFLATE = 16 * 1024 * 1024;

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}
function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;
}
const utf8 = new TextDecoder();

export const miniZipHandler: FormatHandler = {
  id: "zip",
  description: "test-only zip reader (central directory, stored/deflate)",
  sniff: ({ head }) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4,
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    let end = bytes.length - 22;
    while (end >= 0 && u32(bytes, end) !== 0x06054b50) end--;
    if (end < 0) return context.inconclusive("no end record");
    const count = u16(bytes, end + 10);
    let offset = u32(bytes, end + 16);
    for (let index = 0; index < count; index++) {
      if (u32(bytes, offset) !== 0x02014b50) return context.inconclusive("bad central header");
      const method = u16(bytes, offset + 10);
      const compressedSize = u32(bytes, offset + 20);
      const size = u32(bytes, offset + 24);
      const nameLength = u16(bytes, offset + 28);
      const skip = nameLength + u16(bytes, offset + 30) + u16(bytes, offset + 32);
      const mode = u32(bytes, offset + 38) >>> 16;
      const local = u32(bytes, offset + 42);
      const name = utf8.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
      offset += 46 + skip;
      const localNameLength = u16(bytes, local + 26);
      const localName = utf8.decode(bytes.subarray(local + 30, local + 30 + localNameLength));
      const dataStart = local + 30 + localNameLength + u16(bytes, local + 28);
      const data = bytes.subarray(dataStart, dataStart + compressedSize);
      const type = name.endsWith("/") ? "directory" : (mode & 0o170000) === 0o120000 ? "symlink" : "file";
      const fact: EntryFact = {
        kind: "entry",
        name,
        type,
        size,
        compressedSize,
        method: method === 8 ? "deflate" : "stored",
        location: { offset: local },
      };
      if (localName !== name) fact.localName = localName;
      if (type === "symlink") fact.linkTarget = utf8.decode(method === 8 ? inflateRawSync(data) : data);
      context.emit(fact);
      if (type !== "file") continue;
      if (size > MAX_INFLATE) {
        context.emit({
          kind: "anomaly",
          code: "limit-exceeded",
          message: `${name}: stopped decoding: compression ratio above 1000:1`,
        });
        context.inconclusive(`${name} not inflated`);
        continue;
      }
      const content = method === 8 ? inflateRawSync(data) : data;
      await context.scanChild(name, new BufferSource(name, content));
    }
  },
};

export const miniTarHandler: FormatHandler = {
  id: "tar",
  description: "test-only tar reader (ustar/GNU headers)",
  sniff: ({ head }) => head.length >= 263 && utf8.decode(head.subarray(257, 262)) === "ustar",
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    const text = (start: number, length: number) =>
      utf8.decode(bytes.subarray(start, start + length)).replace(/\0[\s\S]*$/, "");
    let offset = 0;
    while (offset + 512 <= bytes.length && bytes[offset] !== 0) {
      const name = text(offset, 100);
      const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
      const flag = String.fromCharCode(bytes[offset + 156] as number);
      const linkTarget = text(offset + 157, 100);
      const type = flag === "5" ? "directory" : flag === "2" ? "symlink" : flag === "1" ? "hardlink" : "file";
      const fact: EntryFact = { kind: "entry", name, type, size, location: { offset } };
      if (linkTarget) fact.linkTarget = linkTarget;
      context.emit(fact);
      const data = bytes.subarray(offset + 512, offset + 512 + size);
      if (type === "file") await context.scanChild(name, new BufferSource(name, data));
      offset += 512 + Math.ceil(size / 512) * 512;
    }
  },
};

/** `{"test-archive": {...}}`: the shape a synthetic archive takes in tests. */
export interface TestArchive {
  formats?: string[];
  entries?: Omit<EntryFact, "kind">[];
  anomalies?: { code: string; message: string; location?: { offset: number } }[];
  children?: { name: string; text?: string; archive?: TestArchive }[];
}

export function testArchiveBytes(archive: TestArchive): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ "test-archive": archive }));
}

export const jsonArchiveHandler: FormatHandler = {
  id: "test-archive",
  description: "test-only: turns a JSON description into entry/anomaly facts and children",
  sniff: ({ head }) => utf8.decode(head.subarray(0, 16)) === '{"test-archive":',
  async parse(context: ParseContext) {
    const bytes = await readAll(context.source, MAX_TEST_BYTES);
    const archive = (JSON.parse(utf8.decode(bytes)) as { "test-archive": TestArchive })["test-archive"];
    for (const format of archive.formats ?? []) context.addFormat(format);
    for (const entry of archive.entries ?? []) context.emit({ kind: "entry", ...entry });
    for (const anomaly of archive.anomalies ?? []) {
      context.emit({ kind: "anomaly", ...anomaly, code: anomaly.code as AnomalyFact["code"] });
    }
    for (const child of archive.children ?? []) {
      const content = child.archive ? testArchiveBytes(child.archive) : new TextEncoder().encode(child.text ?? "");
      await context.scanChild(child.name, new BufferSource(child.name, content));
    }
  },
};

export const testHandlers = definePlugin({
  meta: { name: "test-handlers", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [miniZipHandler, miniTarHandler, jsonArchiveHandler],
});

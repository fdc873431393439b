import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSource, readAll, SMALL_FILE_BYTES } from "../src/source.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-small-file-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("a small file is read whole, once", () => {
  it("serves every later read from the bytes of the first, even after the file changed on disk", async () => {
    const file = path.join(directory, "config.json");
    await writeFile(file, '{"model_type": "bert"}');
    const source = new FileSource(file, 22);
    expect(text(await source.read(0, 13))).toBe('{"model_type"');
    // Rewritten after the first read: the source still answers from what it read then.
    await writeFile(file, '{"model_type": "gpt2"}');
    expect(text(await source.read(16, 4))).toBe("bert");
    const into = new Uint8Array(22);
    expect(await source.readInto(into, 0)).toBe(22);
    expect(text(into)).toBe('{"model_type": "bert"}');
    await source.close();
    // Closed: the next read opens the file again and sees its new bytes.
    expect(text(await source.read(16, 4))).toBe("gpt2");
  });

  it("hands out copies: a caller changing what read returned does not change later reads", async () => {
    const file = path.join(directory, "vocab.txt");
    await writeFile(file, "hello world");
    const source = new FileSource(file, 11);
    const first = await source.read(0, 5);
    first.fill(0);
    expect(text(await source.read(0, 11))).toBe("hello world");
  });

  it("returns the bytes that exist when the file shrank after it was listed, so whole reads fall short", async () => {
    const file = path.join(directory, "tokenizer.json");
    await writeFile(file, "0123456789");
    await truncate(file, 4);
    const source = new FileSource(file, 10);
    expect(text(await source.read(0, 10))).toBe("0123");
    expect((await readAll(source, 1024)).length).toBe(4);
  });

  it("reads no further than the listed size when the file grew after it was listed", async () => {
    const file = path.join(directory, "notes.txt");
    await writeFile(file, "0123456789");
    const source = new FileSource(file, 4);
    expect(text(await source.read(0, 100))).toBe("0123");
    expect(text(await source.read(2, 100))).toBe("23");
  });

  it("reads a file over the small-file size in ranges, seeing changes on disk", async () => {
    const file = path.join(directory, "weights.bin");
    const size = SMALL_FILE_BYTES + 1;
    await writeFile(file, Buffer.alloc(size, 1));
    const source = new FileSource(file, size);
    expect((await source.read(0, 4))[0]).toBe(1);
    await writeFile(file, Buffer.alloc(size, 2));
    expect((await source.read(size - 4, 4))[0]).toBe(2);
    await source.close();
  });
});

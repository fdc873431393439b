import { open, unlink } from "node:fs/promises";

export type CappedWrite = { ok: true; bytes: number } | { ok: false; bytes: number };

/**
 * Streams a body into a new file (never an existing one, never through a link) and stops as soon as
 * it would pass `maxBytes`: the partial file is deleted and `ok: false` returned. A body that
 * sends nothing for `stallMs` is cancelled with an error, so a silent server cannot hang the scan.
 */
export async function writeCapped(
  body: ReadableStream<Uint8Array>,
  filePath: string,
  limits: { maxBytes: number; stallMs: number },
): Promise<CappedWrite> {
  const reader = body.getReader();
  const handle = await open(filePath, "wx", 0o600);
  let bytes = 0;
  let complete = false;
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, limits.stallMs);
      if (done) break;
      if (bytes + value.byteLength > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, bytes: bytes + value.byteLength };
      }
      await handle.write(value);
      bytes += value.byteLength;
    }
    complete = true;
    return { ok: true, bytes };
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    await handle.close();
    if (!complete) await unlink(filePath).catch(() => {});
  }
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  stallMs: number,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no data for ${Math.round(stallMs / 1000)} s, download abandoned`)),
      stallMs,
    );
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

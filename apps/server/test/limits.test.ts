import { mkdir, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  auth,
  BENIGN,
  BOUNDARY,
  expectNoUploads,
  fileParts,
  get,
  listFiles,
  MALICIOUS,
  multipart,
  startServer,
  temporaryDirectory,
  upload,
  waitForScan,
} from "./helpers.js";

/**
 * Streams a multipart upload of `size` bytes in 64 KiB chunks and resolves with the status the
 * server answered and how many bytes of the file had been written when the answer came.
 */
function streamUpload(url: string, size: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL("/v1/scans", url);
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          ...auth(ALICE),
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
          "content-length": head.length + size + tail.length,
        },
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, sent });
      },
    );
    // The server closes the connection after its 413; writes after that fail, which is expected.
    req.on("error", (error) => ((error as NodeJS.ErrnoException).code === "EPIPE" ? undefined : reject(error)));
    let sent = 0;
    req.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end(tail);
    };
    pump();
  });
}

const FLAG_CONFIG = fileURLToPath(new URL("./fixtures/server.config.json", import.meta.url));

describe("limits and confinement", () => {
  // A 2 GB upload (announced and streamed as such) against a 1 MiB limit: the server answers 413 after
  // the first MiB and closes the connection, so the test never sends (or stores) the other 2 GB.
  it("refuses a 2 GB upload over the limit with 413 while it streams and leaves nothing on disk", async () => {
    const { url, dataDir } = await startServer({ maxUploadBytes: 1024 * 1024 });
    const { status, sent } = await streamUpload(url, 2 * 1000 ** 3);
    expect(status).toBe(413);
    // Refused while it streams: the answer comes long before the client has sent the 2 GB.
    expect(sent).toBeLessThan(256 * 1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectNoUploads(dataDir);
    // The limit counts every file of the request together.
    const twoHalves = await upload(url, ALICE, [
      { name: "file", filename: "a.bin", content: Buffer.alloc(600 * 1024) },
      { name: "file", filename: "b.bin", content: Buffer.alloc(600 * 1024) },
    ]);
    expect(twoHalves.status).toBe(413);
    expect(((await twoHalves.json()) as { error: { code: string } }).error.code).toBe("upload-too-large");
    expect(((await (await get(url, ALICE, "/v1/scans")).json()) as { scans: unknown[] }).scans).toEqual([]);
  });

  it("refuses more files than allowed, control and bidi characters in names, duplicates and stray fields", async () => {
    const { url, dataDir } = await startServer({ maxFiles: 2 });
    const three = await upload(
      url,
      ALICE,
      [1, 2, 3].map((n) => ({ name: "file", filename: `${n}.bin`, content: "x" })),
    );
    expect(three.status).toBe(413);
    for (const filename of ["evil\u202egnp.pkl", "tab\there.pkl", "rtl\u200f.bin", "nul\u0000.pt"]) {
      const response = await upload(url, ALICE, [{ name: "file", filename, content: "x" }]);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("invalid-file-name");
      expect(body.error.message).not.toMatch(/[\u0000-\u001f\u202e\u200f]/);
    }
    const duplicate = await upload(url, ALICE, [
      { name: "file", filename: "a.bin", content: "x" },
      { name: "file", filename: "a.bin", content: "y" },
    ]);
    expect(duplicate.status).toBe(400);
    const field = await upload(url, ALICE, [...(await fileParts(BENIGN)), { name: "evil", content: "1" }]);
    expect(field.status).toBe(400);
    const level = await upload(url, ALICE, [...(await fileParts(BENIGN)), { name: "level", content: "paranoid" }]);
    expect(level.status).toBe(400);
    const notMultipart = await fetch(`${url}/v1/scans`, {
      method: "POST",
      body: "x",
      headers: { ...auth(ALICE), "content-type": "text/plain" },
    });
    expect(notMultipart.status).toBe(415);
    await expectNoUploads(dataDir);
  });

  it("scans paths only under the allowed roots: outside, `..` and symlink escapes are 403; spoofing names 400", async () => {
    const root = await temporaryDirectory("modelaudit-root-");
    const outside = await temporaryDirectory("modelaudit-outside-");
    await writeFile(path.join(outside, "secret.pkl"), "x");
    await mkdir(path.join(root, "models"));
    await writeFile(
      path.join(root, "models/model.pkl"),
      await import("node:fs/promises").then((fs) => fs.readFile(MALICIOUS)),
    );
    await symlink(path.join(outside, "secret.pkl"), path.join(root, "escape.pkl"));
    await mkdir(path.join(root, "tricky"));
    await symlink(path.join(outside, "secret.pkl"), path.join(root, "tricky/link.pkl"));
    const { url } = await startServer({ allowedRoots: [root] });
    const post = (paths: string[]) =>
      fetch(`${url}/v1/scans`, {
        method: "POST",
        headers: { ...auth(ALICE), "content-type": "application/json" },
        body: JSON.stringify({ paths }),
      });
    for (const paths of [
      [path.join(outside, "secret.pkl")],
      [`${root}/../${path.basename(outside)}/secret.pkl`],
      [path.join(root, "escape.pkl")],
      [path.join(root, "tricky")],
      ["relative/model.pkl"],
      [path.join(root, "missing.pkl")],
    ]) {
      const response = await post(paths);
      expect(response.status, paths[0]).toBe(403);
      expect(JSON.stringify(await response.json())).not.toContain(root);
    }
    // Control or bidirectional characters in a path, or in a name inside a requested folder, are refused.
    await mkdir(path.join(root, "spoof"));
    await writeFile(path.join(root, "spoof/model\u202Elp.kcip"), "x");
    for (const paths of [[path.join(root, "models\u202E")], [path.join(root, "spoof")]]) {
      const response = await post(paths);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid-file-name");
    }
    const ok = await post([path.join(root, "models")]);
    expect(ok.status).toBe(202);
    const scan = await waitForScan(url, ALICE, ((await ok.json()) as { id: string }).id);
    expect(scan.exitCode).toBe(1);
    // Path scans leave the client's files alone.
    expect(await listFiles(root)).toContain("models/model.pkl");

    const { url: uploadsOnly } = await startServer();
    const refused = await fetch(`${uploadsOnly}/v1/scans`, {
      method: "POST",
      headers: { ...auth(ALICE), "content-type": "application/json" },
      body: JSON.stringify({ paths: [path.join(root, "models")] }),
    });
    expect(refused.status).toBe(403);
  });

  it("limits each token's request rate with 429 and Retry-After", async () => {
    const { url } = await startServer({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await get(url, ALICE, "/v1/scans")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await get(url, ALICE, "/v1/scans");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token has its own budget.
    expect((await get(url, "bob-token-0123456789abcdef", "/v1/scans")).status).toBe(200);
  });

  it("closes a connection that never finishes its headers", async () => {
    const { url } = await startServer({ headersTimeoutMs: 500 });
    const { port } = new URL(url);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
      socket.on("data", () => undefined);
      socket.on("close", () => resolve(Date.now() - started));
      socket.on("error", () => undefined);
    });
    expect(closedAfter).toBeLessThan(5_000);
  });

  it("closes an upload that stalls mid-body", async () => {
    const { url } = await startServer({ idleTimeoutMs: 500 });
    const { port } = new URL(url);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () =>
        socket.write(
          `POST /v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ALICE}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 100000\r\n\r\n--${BOUNDARY}\r\n`,
        ),
      );
      socket.on("data", () => undefined);
      socket.on("close", () => resolve(Date.now() - started));
      socket.on("error", () => undefined);
    });
    expect(closedAfter).toBeLessThan(5_000);
  });

  it("stops a scan past its time budget, fails it with the reason and frees the slot for the next one", async () => {
    // One pool thread and a 2 s budget: a scan that would take 60 s holds the only slot until the budget stops it.
    const { url, dataDir } = await startServer({ configFile: FLAG_CONFIG, scanThreads: 1, scanTimeoutMs: 2_000 });
    const started = Date.now();
    const slow = await upload(url, ALICE, [{ name: "file", filename: "slow.flag", content: "FLAG\nSLEEP 60000\n" }]);
    const next = await upload(url, ALICE, [{ name: "file", filename: "next.flag", content: "FLAG\nBAD line\n" }]);
    const slowScan = await waitForScan(url, ALICE, ((await slow.json()) as { id: string }).id);
    expect(slowScan).toMatchObject({ status: "failed", report: null });
    expect(slowScan.error).toMatch(/time budget of 2 s/);
    // The scan queued behind it ran on the freed thread, long before the slow one would have ended.
    const nextScan = await waitForScan(url, ALICE, ((await next.json()) as { id: string }).id);
    expect(nextScan).toMatchObject({ status: "done", exitCode: 1 });
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectNoUploads(dataDir);
  });

  it("frees the slot of a 220 KB zip whose 4,000 members overlap one deflate stream within the budget", async () => {
    const { url, dataDir } = await startServer({ scanThreads: 1, scanTimeoutMs: 2_000 });
    const zip = overlappingZip(4_000);
    expect(zip.length).toBeLessThan(256 * 1024);
    const bomb = await upload(url, ALICE, [{ name: "file", filename: "overlap.zip", content: zip }]);
    const next = await upload(url, ALICE, await fileParts(MALICIOUS));
    const bombScan = await waitForScan(url, ALICE, ((await bomb.json()) as { id: string }).id);
    // Stopped by the budget (or judged within it on a fast machine): never the slot held for a minute.
    expect(bombScan.exitCode === 1 || /time budget of 2 s/.test(bombScan.error ?? "")).toBe(true);
    const held = Date.parse(bombScan.finishedAt ?? "") - Date.parse(bombScan.startedAt ?? "");
    expect(held).toBeLessThan(10_000);
    const nextScan = await waitForScan(url, ALICE, ((await next.json()) as { id: string }).id);
    expect(nextScan).toMatchObject({ status: "done", exitCode: 1 });
    await expectNoUploads(dataDir);
  });

  it("answers errors as JSON without stack traces or server paths", async () => {
    const { url, dataDir } = await startServer();
    const malformed = await fetch(`${url}/v1/scans`, {
      method: "POST",
      headers: { ...auth(ALICE), "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nunterminated`,
    });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    const text = await malformed.text();
    expect(text).not.toContain(dataDir);
    expect(text).not.toMatch(/\n\s+at /);
    const badJson = await fetch(`${url}/v1/scans`, {
      method: "POST",
      headers: { ...auth(ALICE), "content-type": "application/json" },
      body: "{",
    });
    expect(badJson.status).toBe(400);
    const unknown = await get(url, ALICE, "/nope");
    expect(await unknown.json()).toEqual({ error: { code: "not-found", message: "no such route" } });
    const { body, headers } = multipart([]);
    expect(
      (await fetch(`${url}/v1/scans`, { method: "POST", body, headers: { ...headers, ...auth(ALICE) } })).status,
    ).toBe(400);
  });

  it("logs requests and scans as structured JSON without tokens or file contents", async () => {
    let logged = "";
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logged += chunk.toString();
        callback();
      },
    });
    const { url } = await startServer({ logger: pino({ level: "info" }, sink) });
    const secret = "CONTENT-MARKER-7f3a";
    const response = await upload(url, ALICE, [{ name: "file", filename: "note.txt", content: `${secret}\n` }]);
    await waitForScan(url, ALICE, ((await response.json()) as { id: string }).id);
    await get(url, "wrong-token-0123456789abcdef", "/v1/scans");
    const lines = logged
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(["scan queued", "scan done"]));
    expect(logged).not.toContain(ALICE);
    expect(logged).not.toContain("wrong-token");
    expect(logged).not.toContain(secret);
  });
});

/**
 * A zip whose `members` central-directory entries all point at one local entry: 1 MiB of zeros
 * deflated to about 1 KB, so a 220 KB file claims 4 GB of members (a scan slot held for 70 s before
 * the per-scan budget).
 */
function overlappingZip(members: number): Buffer {
  const plain = Buffer.alloc(1024 * 1024);
  const data = deflateRawSync(plain, { level: 9 });
  const crc = crc32(plain);
  const name = Buffer.from("a.bin");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(plain.length, 22);
  local.writeUInt16LE(name.length, 26);
  const parts = [local, name, data];
  const directoryStart = local.length + name.length + data.length;
  let directorySize = 0;
  for (let index = 0; index < members; index++) {
    const memberName = Buffer.from(`f${index}.bin`);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(plain.length, 24);
    entry.writeUInt16LE(memberName.length, 28);
    // Local header offset 0: every member is the same bytes.
    parts.push(entry, memberName);
    directorySize += entry.length + memberName.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members, 8);
  end.writeUInt16LE(members, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(directoryStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

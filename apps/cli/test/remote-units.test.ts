import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGuardedFetch, isLoopbackHost, RemoteError } from "../src/remote/guarded-fetch.js";
import { safeRelativePath } from "../src/remote/safe-path.js";
import { formatSize, parseSize } from "../src/remote/size.js";
import { Staging } from "../src/remote/staging.js";
import { looksRemote, parseRemoteTarget, redactUrl, redactUrls } from "../src/remote/target.js";
import { writeCapped } from "../src/remote/write-capped.js";

/** A fetch that answers from a table by URL and records what it was asked. */
function scripted(routes: Record<string, () => Response>) {
  const calls: { url: string; authorization: string | null; redirect: string | undefined }[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, authorization: new Headers(init.headers).get("authorization"), redirect: init.redirect });
    const route = routes[url];
    if (!route) throw new Error(`unexpected request to ${url}`);
    return route();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });
const ok =
  (body = "ok") =>
  () =>
    new Response(body);

describe("guarded fetch", () => {
  it("follows https redirects itself and sends the token only to the credential origin", async () => {
    const { fetch, calls } = scripted({
      "https://hub.example/a": redirect("https://cdn.example/blob?sig=1"),
      "https://cdn.example/blob?sig=1": ok("bytes"),
    });
    const guarded = createGuardedFetch({ fetch, credentialOrigin: "https://hub.example" });
    const response = await guarded("https://hub.example/a", { headers: { Authorization: "Bearer hf_x" } });
    expect(await response.text()).toBe("bytes");
    expect(calls.map((call) => [call.url, call.authorization, call.redirect])).toEqual([
      ["https://hub.example/a", "Bearer hf_x", "manual"],
      ["https://cdn.example/blob?sig=1", null, "manual"],
    ]);
    // A pagination link or any request to another host goes without it too.
    await guarded("https://cdn.example/blob?sig=1", { headers: { Authorization: "Bearer hf_x" } });
    expect(calls.at(-1)?.authorization).toBeNull();
  });

  it("refuses redirects to plain http, including a downgrade to loopback", async () => {
    const { fetch } = scripted({
      "https://hub.example/a": redirect("http://cdn.example/blob"),
      "https://hub.example/b": redirect("http://127.0.0.1:8080/admin"),
    });
    const guarded = createGuardedFetch({ fetch });
    await expect(guarded("https://hub.example/a")).rejects.toThrow(
      "refusing the redirect from https://hub.example/a to http://cdn.example/blob: not https",
    );
    await expect(guarded("https://hub.example/b")).rejects.toThrow(RemoteError);
  });

  it("allows http only between loopback addresses, and refuses non-https starts elsewhere", async () => {
    const { fetch } = scripted({
      "http://127.0.0.1:1/a": redirect("http://localhost:2/b"),
      "http://localhost:2/b": ok(),
      "http://127.0.0.1:1/out": redirect("http://example.com/x"),
    });
    const guarded = createGuardedFetch({ fetch });
    expect((await guarded("http://127.0.0.1:1/a")).status).toBe(200);
    await expect(guarded("http://127.0.0.1:1/out")).rejects.toThrow(/not https/);
    await expect(guarded("http://example.com/x")).rejects.toThrow(/only https:\/\//);
    await expect(guarded("file:///etc/passwd")).rejects.toThrow(/only https:\/\//);
  });

  it("bounds redirects, needs a location, and strips query strings from messages", async () => {
    const { fetch } = scripted({
      "https://a.example/loop?token=secret": redirect("https://a.example/loop?token=secret"),
      "https://a.example/none": () => new Response(null, { status: 302 }),
    });
    const guarded = createGuardedFetch({ fetch, maxRedirects: 3 });
    const error = await guarded("https://a.example/loop?token=secret").catch((caught: Error) => caught);
    expect((error as Error).message).toBe("https://a.example/loop: more than 3 redirects");
    await expect(guarded("https://a.example/none")).rejects.toThrow("redirect without a location");
  });

  it("gives up on a server that sends no headers in time", async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    const guarded = createGuardedFetch({ fetch: hanging, headersTimeoutMs: 50 });
    await expect(guarded("https://slow.example/x")).rejects.toThrow("https://slow.example/x: no response within 0 s");
  });

  it("knows loopback hosts", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["example.com", "10.0.0.1", "128.0.0.1", "localhost.example.com", "[::2]"]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("remote targets", () => {
  it("parses hf:// with and without a revision, including refs/pr/N", () => {
    expect(parseRemoteTarget("hf://acme/model")).toEqual({
      kind: "huggingface",
      input: "hf://acme/model",
      repo: "acme/model",
    });
    expect(parseRemoteTarget("hf://gpt2@v1.0")).toMatchObject({ repo: "gpt2", revision: "v1.0" });
    expect(parseRemoteTarget("hf://acme/model@refs/pr/1")).toMatchObject({ repo: "acme/model", revision: "refs/pr/1" });
  });

  it("refuses what is not a model repository name or a revision", () => {
    for (const bad of [
      "hf://",
      "hf://a/b/c",
      "hf://acme/..",
      "hf://acme/mo del",
      "hf://acme/model@",
      "hf://acme/model@../x",
      "hf://acme/model@a b",
    ]) {
      expect(() => parseRemoteTarget(bad), bad).toThrow(/expected hf:\/\/org\/repo|not a branch, tag or commit/);
    }
    expect(() => parseRemoteTarget("hf://datasets/acme/data")).toThrow("only model repositories");
  });

  it("takes https URLs, loopback http, and removes credentials and query strings from what is shown", () => {
    const target = parseRemoteTarget("https://user:pw@example.com/m/model.pt?token=abc#x");
    expect(target).toMatchObject({ kind: "url", input: "https://example.com/m/model.pt" });
    expect(parseRemoteTarget("http://127.0.0.1:8080/m.pt")).toMatchObject({ kind: "url" });
    expect(() => parseRemoteTarget("http://example.com/m.pt")).toThrow("plain http is not accepted");
    expect(redactUrl("not a url?secret")).toBe("not a url");
    expect(redactUrls("failed. URL: https://cdn.example/x?X-Amz-Signature=abc then http://u:p@h/y#z")).toBe(
      "failed. URL: https://cdn.example/x then http://h/y",
    );
  });

  it("tells remote inputs from local paths", () => {
    expect(["hf://a/b", "HTTPS://x/y", "http://127.0.0.1/x"].every(looksRemote)).toBe(true);
    expect(["model.pt", "./hf:/x", "/tmp/https:/x", "C:\\models"].some(looksRemote)).toBe(false);
  });
});

describe("sizes", () => {
  it("parses decimal and binary units and refuses the rest", () => {
    expect(parseSize("20GiB")).toBe(20 * 2 ** 30);
    expect(parseSize("500MB")).toBe(500e6);
    expect(parseSize("1.5G")).toBe(1.5 * 2 ** 30);
    expect(parseSize("4096")).toBe(4096);
    for (const bad of ["", "0", "-1", "12 parsecs", "1e9", "0.1"])
      expect(() => parseSize(bad), bad).toThrow(/expected a size/);
  });

  it("formats for people", () => {
    expect([formatSize(200), formatSize(1337), formatSize(20 * 2 ** 30)]).toEqual(["200 B", "1.3 KiB", "20 GiB"]);
  });
});

describe("repository file names", () => {
  it("keeps safe relative names and refuses traversal, absolute paths and control characters", () => {
    expect(safeRelativePath("a/b/model.safetensors")).toEqual(["a", "b", "model.safetensors"]);
    for (const bad of [
      "",
      "../x",
      "a/../../x",
      "/etc/passwd",
      "a//b",
      "./a",
      "a\\..\\b",
      "a\u0000b",
      "a\nb",
      `${"x".repeat(256)}`,
    ]) {
      expect(safeRelativePath(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

describe("staging directory", () => {
  it("is deleted on dispose, and on an interrupt (with the downloads aborted)", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "modelaudit-staging-"));
    made.push(parent);
    const first = await Staging.create(parent);
    expect(existsSync(first.directory)).toBe(true);
    await first.dispose();
    await first.dispose();
    expect(await readdir(parent)).toEqual([]);

    const second = await Staging.create(parent);
    // Another SIGINT listener stays, so the staging directory does not re-raise the signal in this test process.
    const keepAlive = () => {};
    process.on("SIGINT", keepAlive);
    try {
      process.emit("SIGINT", "SIGINT");
      // The staging directory decides on re-raising after the other listeners ran; keepAlive is still there then.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("SIGINT", keepAlive);
    }
    expect(second.signal.aborted).toBe(true);
    expect(await readdir(parent)).toEqual([]);
    expect(process.listeners("SIGINT")).not.toContain(keepAlive);
    await expect(Staging.create(path.join(parent, "missing"))).rejects.toThrow(
      /^cannot create a download directory in .*missing: ENOENT$/,
    );
  });
});

describe("capped writes", () => {
  const body = (chunks: string[], stall = false) =>
    new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        if (!stall) controller.close();
      },
    });

  it("writes a body within the cap, and deletes a partial one that passes it", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-capped-"));
    made.push(directory);
    expect(await writeCapped(body(["abc", "def"]), path.join(directory, "ok"), { maxBytes: 6, stallMs: 1000 })).toEqual(
      { ok: true, bytes: 6 },
    );
    expect(
      (await writeCapped(body(["abc", "defg"]), path.join(directory, "over"), { maxBytes: 6, stallMs: 1000 })).ok,
    ).toBe(false);
    expect(await readdir(directory)).toEqual(["ok"]);
  });

  it("abandons a stalled body and never overwrites an existing file", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-capped-"));
    made.push(directory);
    await expect(
      writeCapped(body(["abc"], true), path.join(directory, "slow"), { maxBytes: 100, stallMs: 50 }),
    ).rejects.toThrow(/no data for/);
    await writeCapped(body(["x"]), path.join(directory, "once"), { maxBytes: 10, stallMs: 1000 });
    await expect(
      writeCapped(body(["y"]), path.join(directory, "once"), { maxBytes: 10, stallMs: 1000 }),
    ).rejects.toThrow(/EEXIST/);
    expect(await readdir(directory)).toEqual(["once"]);
  });
});

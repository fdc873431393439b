import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A repository as the fake Hub serves it: revisions (branch or tag) to commits, files per commit. */
export interface FakeRepo {
  private?: boolean;
  /** Revision name (e.g. `main`, `v1`) to commit sha. */
  revisions: Record<string, string>;
  /** Commit sha to files (path to content). */
  commits: Record<string, Record<string, Uint8Array | string>>;
  /** Sizes the listing announces instead of the real ones (a lying server). */
  listedSizes?: Record<string, number>;
  /** Files whose CDN download fails (HTTP 500). */
  brokenOnCdn?: string[];
}

export interface Request {
  server: "hub" | "cdn";
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface FakeHub {
  /** `http://127.0.0.1:<port>`: give it as HF_ENDPOINT. */
  url: string;
  /** The separate origin file downloads are redirected to, as the Hub redirects to its CDN. */
  cdnUrl: string;
  requests: Request[];
  close(): Promise<void>;
}

export const TOKEN = "hf_loopbacktesttoken";

/**
 * A loopback server that answers as the Hugging Face Hub API does for what the CLI asks:
 * `GET /api/models/<repo>/revision/<rev>` (model info with `sha`; 401 without the token for a
 * private repository, 404 for an unknown one), `GET /api/models/<repo>/tree/<rev>?recursive=true`
 * (the listing, two pages joined by a `Link: <...>; rel="next"` header), and
 * `GET /<repo>/resolve/<rev>/<path>` (206 with `Content-Range` for a `Range: bytes=0-0` probe, else a
 * 302 to the CDN origin with a signed query string). The CDN serves the bytes and never needs a token.
 */
export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const requests: Request[] = [];
  const blobs = new Map<string, Uint8Array>();

  const cdn = createServer((request, response) => {
    requests.push(record("cdn", request));
    const id = new URL(request.url ?? "/", "http://x").pathname.slice("/blob/".length);
    const blob = blobs.get(id);
    if (id === "broken") return sendJson(response, 500, { error: "storage unavailable" });
    if (!blob) return send(response, 404, "text/plain", "no such blob");
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": blob.byteLength });
    response.end(blob);
  });
  const cdnUrl = await listen(cdn);

  const hub = createServer((request, response) => {
    requests.push(record("hub", request));
    const url = new URL(request.url ?? "/", "http://x");
    const api = /^\/api\/models\/(.+)\/(revision|tree)\/([^/]+)$/.exec(url.pathname);
    const resolve = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repoName = decodeURIComponent(api?.[1] ?? resolve?.[1] ?? "");
    const repo = repos[repoName];
    if (!repo) return sendJson(response, 404, { error: "Repository not found" }, { "x-error-code": "RepoNotFound" });
    if (repo.private && request.headers.authorization !== `Bearer ${TOKEN}`) {
      return sendJson(response, 401, { error: "Invalid username or password." });
    }
    const revision = decodeURIComponent(api?.[3] ?? resolve?.[2] ?? "");
    const commit =
      repo.revisions[revision === "HEAD" ? "main" : revision] ?? (repo.commits[revision] ? revision : undefined);
    const files = commit ? repo.commits[commit] : undefined;
    if (!commit || !files) {
      return sendJson(response, 404, { error: "Revision not found" }, { "x-error-code": "RevisionNotFound" });
    }

    if (api?.[2] === "revision") {
      return sendJson(response, 200, {
        _id: `id-${repoName}`,
        id: repoName,
        sha: commit,
        private: repo.private === true,
        gated: false,
        downloads: 0,
        likes: 0,
        lastModified: "2026-01-01T00:00:00.000Z",
        siblings: Object.keys(files).map((rfilename) => ({ rfilename })),
      });
    }
    if (api?.[2] === "tree") {
      const entries = Object.entries(files).map(([path, content]) => {
        const size = repo.listedSizes?.[path] ?? bytes(content).byteLength;
        return { type: "file", oid: sha1(bytes(content)), size, path };
      });
      // Directories appear in real listings too; they are not files to download.
      entries.push({ type: "directory", oid: "0", size: 0, path: "sub" });
      const page = url.searchParams.get("cursor") === "2" ? 2 : 1;
      const half = Math.ceil(entries.length / 2);
      if (page === 1) {
        const next = `http://${request.headers.host}${url.pathname}?recursive=true&expand=false&cursor=2`;
        return sendJson(response, 200, entries.slice(0, half), { link: `<${next}>; rel="next"` });
      }
      return sendJson(response, 200, entries.slice(half));
    }

    const path = resolve?.[3]?.split("/").map(decodeURIComponent).join("/") ?? "";
    const content = files[path];
    if (content === undefined) {
      return sendJson(response, 404, { error: "Entry not found" }, { "x-error-code": "EntryNotFound" });
    }
    const data = bytes(content);
    const etag = `"${sha1(data)}"`;
    if (request.headers.range === "bytes=0-0") {
      response.writeHead(206, {
        "content-type": "application/octet-stream",
        "content-range": `bytes 0-0/${data.byteLength}`,
        "content-length": 1,
        etag,
      });
      return response.end(data.subarray(0, 1));
    }
    const id = repo.brokenOnCdn?.includes(path) ? "broken" : createHash("sha256").update(data).digest("hex");
    if (id !== "broken") blobs.set(id, data);
    response.writeHead(302, { location: `${cdnUrl}/blob/${id}?X-Amz-Signature=secret`, etag });
    response.end();
  });
  const hubUrl = await listen(hub);

  return {
    url: hubUrl,
    cdnUrl,
    requests,
    close: async () => {
      await Promise.all([close(hub), close(cdn)]);
    },
  };
}

function record(server: "hub" | "cdn", request: IncomingMessage): Request {
  return {
    server,
    method: request.method ?? "GET",
    url: request.url ?? "",
    authorization: request.headers.authorization,
  };
}

function bytes(content: Uint8Array | string): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

function sha1(data: Uint8Array): string {
  return createHash("sha1").update(data).digest("hex");
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": type, ...headers });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  send(response, status, "application/json", JSON.stringify(body), headers);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

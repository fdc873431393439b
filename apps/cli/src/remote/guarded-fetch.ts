import { isIP } from "node:net";

export interface GuardedFetchOptions {
  /** The fetch that does the requests (default: the global one); tests pass their own. */
  fetch?: typeof fetch;
  /** The only origin that may receive an Authorization header (the Hub's); dropped for every other one. */
  credentialOrigin?: string;
  /** Redirects followed per request. Default 10. */
  maxRedirects?: number;
  /** Time allowed for the response headers of each request. Default 60 s. */
  headersTimeoutMs?: number;
  /** Aborts every request and body read (an interrupt). */
  signal?: AbortSignal;
}

/** Thrown when a request is refused by policy or the server breaks the protocol; the message names the URL. */
export class RemoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteError";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch that follows redirects itself so it can refuse the ones that leave https: a redirect may
 * go from https to https, or between loopback http addresses (a local mirror or a test server),
 * never to plain http elsewhere and never from https down to http. The token goes only to the
 * credential origin, so neither a CDN redirect nor a pagination link on another host ever sees it.
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  const maxRedirects = options.maxRedirects ?? 10;
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;

  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!allowedStart(url))
      throw new RemoteError(`refusing ${describe(url)}: only https:// (or http:// on a loopback address)`);
    let method = init.method ?? "GET";
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const headers = new Headers(init.headers);
      if (options.credentialOrigin === undefined || url.origin !== options.credentialOrigin) {
        headers.delete("authorization");
      }
      const response = await withHeadersTimeout(url, headersTimeoutMs, options.signal, (signal) =>
        base(url, { ...init, method, body, headers, redirect: "manual", signal }),
      );
      if (!REDIRECTS.has(response.status)) return response;

      const location = response.headers.get("location");
      await response.body?.cancel().catch(() => {});
      if (!location) throw new RemoteError(`${describe(url)}: HTTP ${response.status} redirect without a location`);
      if (hop >= maxRedirects) throw new RemoteError(`${describe(url)}: more than ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RemoteError(`${describe(url)}: redirect to an invalid URL`);
      }
      if (!allowedRedirect(url, next)) {
        throw new RemoteError(`refusing the redirect from ${describe(url)} to ${describe(next)}: not https`);
      }
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = null;
      }
      url = next;
    }
  };
  return guarded as typeof fetch;
}

/** Loopback only: `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return isIP(host) === 6 && (host === "::1" || host === "0:0:0:0:0:0:0:1");
}

function allowedStart(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
}

function allowedRedirect(from: URL, to: URL): boolean {
  if (to.protocol === "https:") return true;
  return (
    to.protocol === "http:" && from.protocol === "http:" && isLoopbackHost(from.hostname) && isLoopbackHost(to.hostname)
  );
}

/** Origin and path only: signed URLs carry credentials in the query string. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Aborts the request when its headers do not arrive in time; the body stays under the caller's signal. */
async function withHeadersTimeout(
  url: URL,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  request: (signal: AbortSignal) => Promise<Response>,
): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new RemoteError(`${describe(url)}: no response within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  try {
    return await request(outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal);
  } catch (error) {
    if (timeout.signal.aborted) throw timeout.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

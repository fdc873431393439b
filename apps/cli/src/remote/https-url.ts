import path from "node:path";
import { UsageError } from "../usage-error.js";
import type { DownloadBudget, StagedInput } from "./budget.js";
import { type RemoteTarget, redactUrl, redactUrls } from "./target.js";
import { writeCapped } from "./write-capped.js";

export interface UrlClient {
  /** The guarded fetch (https only, bounded redirects). */
  fetch: typeof fetch;
  /** Sent as a bearer token only when the URL is on this origin (the Hub's, for a private file's resolve URL). */
  tokenOrigin?: string;
  accessToken?: string;
}

/**
 * Downloads one file named by URL into `directory`, keeping its file name (content decides the
 * format, the extension only breaks ties). A file over the caps is reported, not downloaded.
 */
export async function downloadUrl(
  target: Extract<RemoteTarget, { kind: "url" }>,
  directory: string,
  client: UrlClient,
  budget: DownloadBudget,
): Promise<StagedInput> {
  const headers: Record<string, string> = {};
  if (client.accessToken !== undefined && target.url.origin === client.tokenOrigin) {
    headers.authorization = `Bearer ${client.accessToken}`;
  }
  let response: Response;
  try {
    response = await client.fetch(target.url, { headers });
  } catch (error) {
    throw new UsageError(`${target.input}: ${redactUrls(error instanceof Error ? error.message : String(error))}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new UsageError(`${target.input}: HTTP ${response.status}`);
  }

  const finalUrl = redactUrl(response.url || target.url.href);
  const source = { input: target.input, kind: "url" as const, url: finalUrl };
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  const size = Number.isSafeInteger(announced) && announced >= 0 ? announced : 0;
  const refusal = budget.refusal(size);
  if (refusal !== undefined || response.body === null) {
    await response.body?.cancel().catch(() => {});
    return {
      source,
      displayRoot: target.input,
      notDownloaded: [{ path: target.input, size, reason: refusal ?? "not downloaded: the response has no body" }],
    };
  }

  const local = path.join(directory, fileNameOf(target.url));
  try {
    const written = await writeCapped(response.body, local, {
      maxBytes: budget.nextCap(),
      stallMs: budget.limits.stallMs,
    });
    if (!written.ok)
      return {
        source,
        displayRoot: target.input,
        notDownloaded: [{ path: target.input, size, reason: budget.overrun() }],
      };
    budget.add(written.bytes);
  } catch (error) {
    const reason = `download failed: ${redactUrls(error instanceof Error ? error.message : String(error))}`;
    return { source, displayRoot: target.input, notDownloaded: [{ path: target.input, size, reason }] };
  }
  return { source, local, displayRoot: target.input, notDownloaded: [] };
}

/** The URL's last path segment, reduced to safe characters; `download` when nothing usable is left. */
function fileNameOf(url: URL): string {
  let last = url.pathname.split("/").at(-1) ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    // Keep it encoded; the characters below are replaced anyway.
  }
  const name = last.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 200);
  return name === "" || /^\.+$/.test(name) ? "download" : name;
}

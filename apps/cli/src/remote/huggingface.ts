import { mkdir } from "node:fs/promises";
import path from "node:path";
import { downloadFile, HubApiError, listFiles, modelInfo } from "@huggingface/hub";
import { UsageError } from "../usage-error.js";
import type { DownloadBudget, NotDownloaded, StagedInput } from "./budget.js";
import { safeRelativePath } from "./safe-path.js";
import { type RemoteTarget, redactUrls } from "./target.js";
import { writeCapped } from "./write-capped.js";

export interface HubClient {
  /** `https://huggingface.co`, or a mirror (HF_ENDPOINT); a loopback server in tests. */
  hubUrl: string;
  accessToken?: string;
  /** The guarded fetch every Hub request goes through. */
  fetch: typeof fetch;
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Downloads a Hub model repository into `directory`, every file at one commit: the revision is
 * resolved to its commit first, so a branch that moves during the download cannot mix versions.
 * Files over the caps, with unsafe names, or failing to download are listed as not downloaded
 * (inconclusive) rather than dropped; a repository that cannot be read at all is an error.
 */
export async function downloadHubRepository(
  target: Extract<RemoteTarget, { kind: "huggingface" }>,
  directory: string,
  client: HubClient,
  budget: DownloadBudget,
): Promise<StagedInput> {
  const credentials = client.accessToken !== undefined ? { accessToken: client.accessToken } : {};
  const common = { hubUrl: client.hubUrl, fetch: client.fetch, ...credentials };

  const commit = await hubCall(target, () =>
    modelInfo({
      name: target.repo,
      additionalFields: ["sha"],
      ...(target.revision !== undefined ? { revision: target.revision } : {}),
      ...common,
    }).then((info) => info.sha),
  );
  if (typeof commit !== "string" || !COMMIT.test(commit)) {
    throw new UsageError(
      `${target.input}: the Hub did not name the commit of ${target.revision ?? "the default branch"}`,
    );
  }
  const displayRoot = `hf://${target.repo}@${commit}`;

  const files: { path: string; size: number }[] = [];
  await hubCall(target, async () => {
    for await (const entry of listFiles({ repo: target.repo, revision: commit, recursive: true, ...common })) {
      if (entry.type !== "file") continue;
      if (files.length >= budget.limits.maxFiles) {
        throw new UsageError(`${target.input}: more than ${budget.limits.maxFiles} files; not scanned`);
      }
      const size = entry.lfs?.size ?? entry.size;
      files.push({ path: String(entry.path), size: Number.isSafeInteger(size) && size >= 0 ? size : 0 });
    }
  });

  // Staged in the layout of the Hugging Face cache (`models--org--name/snapshots/<commit>`), so the detectors that
  // read a repository from a cache path (look-alike namespaces, provenance) judge hf:// inputs as well.
  const root = path.join(directory, `models--${target.repo.split("/").join("--")}`, "snapshots", commit);
  await mkdir(root, { recursive: true });
  const notDownloaded: NotDownloaded[] = [];
  for (const file of files) {
    const named = `${displayRoot}/${file.path}`;
    const relative = safeRelativePath(file.path);
    if (relative === undefined) {
      notDownloaded.push({ path: named, size: file.size, reason: "not downloaded: unsafe file name in the listing" });
      continue;
    }
    const refusal = budget.refusal(file.size);
    if (refusal !== undefined) {
      notDownloaded.push({ path: named, size: file.size, reason: refusal });
      continue;
    }
    const destination = path.join(root, ...relative);
    try {
      await mkdir(path.dirname(destination), { recursive: true });
      const blob = await downloadFile({
        repo: target.repo,
        // The Hub client puts the path into the URL as is: encode each segment.
        path: relative.map(encodeURIComponent).join("/"),
        revision: commit,
        // Plain resolve/redirect downloads: every request goes through the guarded fetch.
        xet: false,
        ...common,
      });
      if (blob === null) {
        notDownloaded.push({
          path: named,
          size: file.size,
          reason: "not downloaded: listed but missing at the commit",
        });
        continue;
      }
      const cap = budget.nextCap();
      const written = await writeCapped(blob.stream(), destination, { maxBytes: cap, stallMs: budget.limits.stallMs });
      if (!written.ok) {
        notDownloaded.push({ path: named, size: file.size, reason: budget.overrun() });
        continue;
      }
      budget.add(written.bytes);
    } catch (error) {
      notDownloaded.push({ path: named, size: file.size, reason: `download failed: ${describeError(error)}` });
    }
  }

  return {
    source: {
      input: target.input,
      kind: "huggingface",
      url: `${client.hubUrl.replace(/\/+$/, "")}/${target.repo}`,
      ...(target.revision !== undefined ? { revision: target.revision } : {}),
      commit,
    },
    local: root,
    displayRoot,
    notDownloaded,
  };
}

/** Hub errors as messages a user can act on (a private repository needs HF_TOKEN). */
async function hubCall<T>(target: RemoteTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (UsageError.isInstance(error)) throw error;
    if (error instanceof HubApiError) {
      if (error.statusCode === 401 || error.statusCode === 403) {
        throw new UsageError(
          `${target.input}: access denied (HTTP ${error.statusCode}); a private or gated repository needs a token in HF_TOKEN`,
        );
      }
      if (error.statusCode === 404) {
        throw new UsageError(`${target.input}: no such repository or revision (HTTP 404; private ones need HF_TOKEN)`);
      }
      throw new UsageError(`${target.input}: the Hub answered HTTP ${error.statusCode}`);
    }
    throw new UsageError(`${target.input}: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof HubApiError) return `HTTP ${error.statusCode}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return redactUrls(`${error.message}${cause}`);
  }
  // The Hub client turns stream errors into their message, which quotes the (signed) URL.
  return redactUrls(String(error));
}

/**
 * Repository ids (`org/name`, with a revision when one is named) read from the places a model says
 * where it came from: a Hugging Face cache folder in its path, a git remote URL, a hub URL, or an id
 * written in a config or model card. Pure string work, bounded: values longer than MAX_ID_TEXT are
 * not ids.
 */

export interface RepoId {
  /** The namespace: a user or organisation (`meta-llama`). Empty for legacy ids without one (`gpt2`). */
  org: string;
  name: string;
  /** Branch, tag or commit, when the source names one. */
  revision?: string;
  /** Where the repository is hosted: `huggingface.co`, `github.com`, another git host. */
  host: string;
}

/** Longer strings are prose or paths, never a repository id. */
const MAX_ID_TEXT = 512;
const HF_HOSTS = new Set(["huggingface.co", "hf.co", "www.huggingface.co"]);
/** One segment of an id as the Hub allows it (letters, digits, `-`, `_`, `.`), and look-alike letters from other scripts. */
const SEGMENT = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,95}$/u;
const COMMIT = /^[0-9a-f]{40}$/;
/** Hub URL paths that name a revision: `/tree/<rev>`, `/blob/<rev>/file`, `/resolve/<rev>/file`, `/commit/<rev>`. */
const REVISION_PATHS = new Set(["tree", "blob", "resolve", "commit", "raw"]);
/** Top-level Hub paths that are not model namespaces. */
const HUB_KINDS = new Set(["datasets", "spaces"]);

export function isCommit(revision: string | undefined): boolean {
  return revision !== undefined && COMMIT.test(revision);
}

export function formatRepoId(id: RepoId): string {
  const base = id.org === "" ? id.name : `${id.org}/${id.name}`;
  return id.revision === undefined ? base : `${base}@${id.revision}`;
}

/**
 * The repository of a Hugging Face cache folder anywhere in a path
 * (`…/hub/models--meta-llama--Llama-2-7b-hf/snapshots/<commit>/config.json`), with the snapshot's
 * revision when the path goes through `snapshots/`. Null when no component is a `models--` folder.
 */
export function repoIdFromCachePath(filePath: string): RepoId | null {
  const parts = filePath.split(/[\\/]/);
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index] as string;
    if (!part.startsWith("models--")) continue;
    const [org, name, ...rest] = part.slice("models--".length).split("--");
    if (org === undefined || org === "" || rest.length > 0) continue;
    // `models--gpt2`: a legacy id without a namespace.
    const id: RepoId =
      name === undefined ? { org: "", name: org, host: "huggingface.co" } : { org, name, host: "huggingface.co" };
    if (!validSegments(id)) continue;
    if (parts[index + 1] === "snapshots" && parts[index + 2]) id.revision = parts[index + 2];
    return id;
  }
  return null;
}

/**
 * A repository from a URL or remote: `https://huggingface.co/org/name[/tree/<rev>…]`, `hf://org/name@rev`,
 * `https://github.com/org/name.git`, `git@hf.co:org/name`, `ssh://git@host/org/name`. Credentials in
 * the URL are dropped. Null for anything else.
 */
export function repoIdFromUrl(value: string): RepoId | null {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_ID_TEXT) return null;
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(text);
  if (scp) return fromHostPath((scp[1] as string).toLowerCase(), scp[2] as string);
  const hf = /^hf:\/\/(.+)$/i.exec(text);
  if (hf) return repoIdFromText((hf[1] as string).replace(/^models\//, ""), "huggingface.co");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol)) return null;
  return fromHostPath(url.hostname.toLowerCase(), decodeURIComponent(url.pathname));
}

function fromHostPath(host: string, pathname: string): RepoId | null {
  const hub = HF_HOSTS.has(host);
  const segments = pathname.split("/").filter((segment) => segment.length > 0);
  if (hub && HUB_KINDS.has(segments[0] ?? "")) return null;
  if (hub && segments[0] === "models") segments.shift();
  const [org, rawName, kind, revision] = segments;
  if (org === undefined || rawName === undefined) return null;
  const id: RepoId = { org, name: rawName.replace(/\.git$/, ""), host: hub ? "huggingface.co" : host };
  if (kind !== undefined && REVISION_PATHS.has(kind) && revision !== undefined) id.revision = revision;
  return validSegments(id) ? id : null;
}

/**
 * An id written as text (`_name_or_path`, `base_model`): `org/name` or `org/name@revision`, or a hub
 * URL. Local paths (`/…`, `./…`, `~/…`, `C:\…`, more than two segments) are not ids; a single
 * segment is a legacy Hub id only when `allowBare` says the field holds Hub ids.
 */
export function repoIdFromText(value: string, host = "huggingface.co", allowBare = false): RepoId | null {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_ID_TEXT) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[\w.-]+@[\w.-]+:/.test(text)) return repoIdFromUrl(text);
  if (/^(?:[./~\\]|[A-Za-z]:)/.test(text) || text.includes("\\") || /\s/.test(text)) return null;
  const at = text.lastIndexOf("@");
  const path = at > 0 ? text.slice(0, at) : text;
  const revision = at > 0 ? text.slice(at + 1) : undefined;
  const segments = path.split("/");
  let id: RepoId;
  if (segments.length === 2) id = { org: segments[0] as string, name: segments[1] as string, host };
  else if (segments.length === 1 && allowBare) id = { org: "", name: segments[0] as string, host };
  else return null;
  if (revision !== undefined) {
    if (!/^[\w./-]{1,256}$/.test(revision)) return null;
    id.revision = revision;
  }
  return validSegments(id) ? id : null;
}

function validSegments(id: RepoId): boolean {
  if (id.org !== "" && (!SEGMENT.test(id.org) || id.org.includes("--") || id.org.includes(".."))) return false;
  return SEGMENT.test(id.name) && !id.name.includes("..");
}

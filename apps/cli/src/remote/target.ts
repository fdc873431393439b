import { UsageError } from "../usage-error.js";
import { isLoopbackHost } from "./guarded-fetch.js";

/** A scan input that names something to download rather than a local path. */
export type RemoteTarget =
  | { kind: "huggingface"; input: string; repo: string; revision?: string }
  | { kind: "url"; input: string; url: URL };

// Hub repository names: one or two segments (`gpt2`, `org/model`), each as the Hub allows them.
const REPO_SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,95})$/;
// Branches, tags and commits; `refs/pr/1` has slashes. No `..`, no control characters, no spaces.
const REVISION = /^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,199}$/;

/** Whether an argument is meant as a remote input (so a local file is never mistaken for one, nor the reverse). */
export function looksRemote(argument: string): boolean {
  return /^(hf|https?):\/\//i.test(argument);
}

/**
 * `hf://org/repo[@revision]` or an `https://` URL; anything else that looks remote is a usage error
 * naming what is wrong. Plain `http://` is refused except on a loopback address (a local mirror).
 */
export function parseRemoteTarget(argument: string): RemoteTarget {
  if (/^hf:\/\//i.test(argument)) return parseHuggingFace(argument);
  let url: URL;
  try {
    url = new URL(argument);
  } catch {
    throw new UsageError(`${redactUrl(argument)}: not a valid URL`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`${redactUrl(argument)}: plain http is not accepted, use https://`);
  }
  return { kind: "url", input: redactUrl(url.href), url };
}

function parseHuggingFace(argument: string): RemoteTarget {
  const rest = argument.slice("hf://".length);
  const at = rest.indexOf("@");
  const repo = at === -1 ? rest : rest.slice(0, at);
  const revision = at === -1 ? undefined : rest.slice(at + 1);
  const segments = repo.split("/");
  if (segments[0] === "datasets" || segments[0] === "spaces") {
    throw new UsageError(`${argument}: only model repositories can be scanned (hf://org/model)`);
  }
  if (segments.length > 2 || !segments.every((segment) => REPO_SEGMENT.test(segment) && !segment.includes(".."))) {
    throw new UsageError(`${argument}: expected hf://org/repo or hf://org/repo@revision`);
  }
  if (revision !== undefined && (!REVISION.test(revision) || revision.split("/").includes(".."))) {
    throw new UsageError(`${argument}: "${revision}" is not a branch, tag or commit`);
  }
  return { kind: "huggingface", input: argument, repo, ...(revision !== undefined ? { revision } : {}) };
}

/** A URL as it may appear in reports and messages: no credentials, no query string or fragment (signed URLs carry tokens there). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return text.replace(/[?#].*$/s, "").replace(/\/\/[^/@]*@/, "//");
  }
}

/** Every URL inside a message, redacted (error messages from HTTP clients quote signed URLs). */
export function redactUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

/** `key = "`, `"key": "` or `key: ` right before an address. */
export const INLINE_KEY = /([A-Za-z_][\w.-]{0,60})["']?\s*[:=]\s*[("'[]?\s*$/;

/**
 * Words of short keys already split: the same config keys come back in every file of a folder and
 * are asked about several times per value. Bounded in entries and in key length.
 */
const splitKeys = new Map<string, readonly string[]>();
const MAX_SPLIT_KEYS = 4096;
const MAX_CACHED_KEY_LENGTH = 256;

/** Splits a key path into lower-case words: `training_config.callbackURL[0]` → training, config, callback, url, 0. */
export function keyWords(key: string): readonly string[] {
  const cached = splitKeys.get(key);
  if (cached !== undefined) return cached;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9&]+/)
    .filter((word) => word.length > 0);
  if (key.length <= MAX_CACHED_KEY_LENGTH) {
    if (splitKeys.size >= MAX_SPLIT_KEYS) splitKeys.clear();
    splitKeys.set(key, Object.freeze(words));
  }
  return words;
}

const CALLBACK_WORDS = new Set([
  "beacon",
  "callback",
  "callbacks",
  "exfil",
  "exfiltrate",
  "exfiltration",
  "c2",
  "cnc",
  "c&c",
  "webhook",
  "webhooks",
  "phonehome",
  "checkin",
  "implant",
  "payload",
]);
const CALLBACK_PAIRS = [
  ["call", "back"],
  ["phone", "home"],
  ["check", "in"],
  ["command", "and"],
  ["upload", "url"],
  ["report", "url"],
  ["post", "url"],
  ["notify", "url"],
  ["telemetry", "url"],
  ["heartbeat", "url"],
];

/** A key that names a place the model reports to: its URL is a C2 indicator, not a link. */
export function isCallbackKey(key: string | undefined): boolean {
  if (!key) return false;
  const words = keyWords(key);
  if (words.some((word) => CALLBACK_WORDS.has(word) || /^(exfil|beacon|callback|webhook)/.test(word))) return true;
  for (let index = 0; index + 1 < words.length; index++) {
    if (CALLBACK_PAIRS.some(([first, second]) => words[index] === first && words[index + 1] === second)) return true;
  }
  return false;
}

const HOST_WORDS = new Set([
  "host",
  "hostname",
  "hosts",
  "server",
  "servers",
  "endpoint",
  "endpoints",
  "address",
  "addr",
  "ip",
  "proxy",
  "remote",
  "upstream",
  "domain",
]);

/** A key whose value is a host name: the last word says so (`master_addr`, `server`, `api_host`). */
export function isHostKey(key: string | undefined): boolean {
  if (!key) return false;
  const words = keyWords(key);
  return HOST_WORDS.has(words.at(-1) ?? "") || isCallbackKey(key);
}

const DOCUMENTATION_WORDS = new Set([
  "link",
  "links",
  "homepage",
  "website",
  "repo",
  "repository",
  "license",
  "licence",
  "paper",
  "papers",
  "citation",
  "doi",
  "arxiv",
  "docs",
  "documentation",
  "readme",
  "card",
  "reference",
  "references",
]);

/**
 * A key that holds a link for people: `license_link`, `homepage`, `paper`, and the descriptive
 * `general.*` URLs model metadata carries (`general.url`, `general.source.url`).
 */
export function isDocumentationKey(key: string | undefined): boolean {
  if (!key || isCallbackKey(key)) return false;
  const words = keyWords(key);
  if (words[0] === "general" && words.some((word) => word === "url" || word === "urls")) return true;
  return words.some((word) => DOCUMENTATION_WORDS.has(word));
}

/** A version key: dotted numbers there are versions, not addresses. */
export function isVersionKey(key: string | undefined): boolean {
  return key !== undefined && /version|release|revision/i.test(key);
}

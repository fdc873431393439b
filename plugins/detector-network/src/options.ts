/** What users may set under `options.network`. */
export interface NetworkOptions {
  /** Hosts (and their subdomains) or IP addresses that are critical wherever they appear. */
  blocklist: readonly string[];
  /** Hosts (and their subdomains) or IP addresses never reported: the user's own infrastructure. */
  allowHosts: readonly string[];
  /** More documentation sites, reported as info at most. */
  documentationHosts: readonly string[];
}

export function readOptions(options: Readonly<Record<string, unknown>>): NetworkOptions {
  return {
    blocklist: readHosts(options, "blocklist"),
    allowHosts: readHosts(options, "allowHosts"),
    documentationHosts: readHosts(options, "documentationHosts"),
  };
}

function readHosts(options: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = options[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string" || entry.trim() === "")) {
    throw new Error(`network options.${key} must be an array of host names or IP addresses`);
  }
  return (value as string[]).map(normalizeHost);
}

/** Accepts what people paste: a URL, `host:port`, `*.host` or `[v6]` becomes the bare lower-case host. */
function normalizeHost(entry: string): string {
  let host = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  host = host.replace(/^[^/@]*@/, "");
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") === -1 ? undefined : host.indexOf("]"));
  if ((host.match(/:/g) ?? []).length > 1) return host.replace(/\/.*$/, "");
  return host
    .replace(/[/:?#].*$/, "")
    .replace(/^\*\./, "")
    .replace(/\.$/, "");
}

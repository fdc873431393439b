import { isRegistrableHost } from "./hosts.js";
import { parseIpv4, parseIpv6 } from "./ip-address.js";

/** A network address found in a text: a URL, a bare IP literal (optional port), or a host a key names. */
export interface FoundAddress {
  kind: "url" | "ip" | "host";
  /** The text as it appears (URL trimmed of trailing punctuation). */
  text: string;
  start: number;
  scheme?: string;
  /** Lower-case host name, IPv4 dotted quad or IPv6 text (no brackets). */
  host: string;
  hostKind: "name" | "ipv4" | "ipv6";
  port?: number;
  /** URL path (from the first `/`), empty when none. */
  path: string;
}

/** At most this many addresses per text: a file full of URLs still says enough in the first few hundred. */
export const MAX_ADDRESSES_PER_TEXT = 500;

const SCHEMES = "https?|ftps?|sftp|wss?|ssh|telnet|s3|gs|ldaps?|smb|gopher|tcp|udp";
const URL_PATTERN = new RegExp(`\\b(${SCHEMES}):\\/\\/([^\\s"'<>\`{}|\\\\^]{1,2048})`, "gi");
const IPV4_PATTERN = /(?<![\w.\-/@])(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?(?![\w-]|\.\d)/g;
const IPV6_PATTERN = /(?<![\w:.])[0-9a-f:]{2,39}(?![\w:.])/gi;

/** Whether `text` holds `character` at least `times` times. */
function holds(text: string, character: string, times: number): boolean {
  let count = 0;
  for (let at = text.indexOf(character); at >= 0; at = text.indexOf(character, at + 1)) {
    if (++count >= times) return true;
  }
  return false;
}

/** Finds complete, valid URLs and IP literals: fragments such as `http`, `://` or `www.` never match. */
export function findAddresses(text: string): FoundAddress[] {
  const found: FoundAddress[] = [];
  const spans: [number, number][] = [];
  if (text.includes("://")) {
    for (const match of text.matchAll(URL_PATTERN)) {
      const url = parseUrl(match[1]!, match[2]!, match.index);
      if (url) {
        found.push(url);
        spans.push([match.index, match.index + match[0].length]);
      }
      if (found.length >= MAX_ADDRESSES_PER_TEXT) return found;
    }
  }
  const insideUrl = (index: number) => spans.some(([start, end]) => index >= start && index < end);
  // A dotted quad has three dots: most texts have fewer, and skip the search (and matchAll's copy of the regex).
  if (!holds(text, ".", 3)) return ipv6Addresses(text, found, insideUrl);
  for (const match of text.matchAll(IPV4_PATTERN)) {
    if (insideUrl(match.index) || !parseIpv4(match[1]!)) continue;
    const port = match[2] === undefined ? undefined : validPort(match[2]);
    if (match[2] !== undefined && port === undefined) continue;
    found.push({
      kind: "ip",
      text: match[0],
      start: match.index,
      host: match[1]!,
      hostKind: "ipv4",
      path: "",
      ...(port && { port }),
    });
    if (found.length >= MAX_ADDRESSES_PER_TEXT) return found;
  }
  return ipv6Addresses(text, found, insideUrl);
}

/**
 * `found` with the IPv6 literals of `text` outside URLs added (up to MAX_ADDRESSES_PER_TEXT; `found`
 * is below it, the loops before return there).
 */
function ipv6Addresses(text: string, found: FoundAddress[], insideUrl: (index: number) => boolean): FoundAddress[] {
  // Three written groups take two colons at least.
  if (!holds(text, ":", 2)) return found;
  for (const match of text.matchAll(IPV6_PATTERN)) {
    const candidate = match[0];
    // Three written groups at least, so times (12:30:45) and short tokens never qualify.
    if (insideUrl(match.index) || candidate.split(":").filter(Boolean).length < 3 || !parseIpv6(candidate)) continue;
    found.push({
      kind: "ip",
      text: candidate,
      start: match.index,
      host: candidate.toLowerCase(),
      hostKind: "ipv6",
      path: "",
    });
    if (found.length >= MAX_ADDRESSES_PER_TEXT) return found;
  }
  return found;
}

function validPort(text: string): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

function trimTrailing(rest: string): string {
  let end = rest.length;
  while (end > 0) {
    const last = rest[end - 1]!;
    if (".,;:!?*'\"".includes(last)) end--;
    else if (last === ")" || last === "]") {
      const open = last === ")" ? "(" : "[";
      const body = rest.slice(0, end);
      if (body.split(open).length < body.split(last).length) end--;
      else break;
    } else break;
  }
  return rest.slice(0, end);
}

function parseUrl(writtenScheme: string, raw: string, start: number): FoundAddress | undefined {
  const scheme = writtenScheme.toLowerCase();
  const rest = trimTrailing(raw);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const path = authorityEnd === -1 ? "" : rest.slice(authorityEnd);
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close === -1) return undefined;
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== "" && !/^:\d{1,5}$/.test(after)) return undefined;
    portText = after ? after.slice(1) : undefined;
    if (!parseIpv6(host)) return undefined;
  } else {
    const colon = hostPort.indexOf(":");
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
    if (portText !== undefined && !/^\d{1,5}$/.test(portText)) return undefined;
  }
  host = host.toLowerCase().replace(/\.$/, "");
  const port = portText === undefined || portText === "" ? undefined : validPort(portText);
  if (portText && port === undefined) return undefined;
  let hostKind: FoundAddress["hostKind"];
  if (hostPort.startsWith("[")) hostKind = "ipv6";
  else if (parseIpv4(host)) hostKind = "ipv4";
  else if (/^\d+(\.\d+)*$/.test(host)) return undefined;
  else if (scheme === "s3" || scheme === "gs") {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(host)) return undefined;
    hostKind = "name";
  } else if (isRegistrableHost(host)) hostKind = "name";
  else return undefined;
  return {
    kind: "url",
    text: `${writtenScheme}://${rest}`,
    start,
    scheme,
    host,
    hostKind,
    path,
    ...(port && { port }),
  };
}

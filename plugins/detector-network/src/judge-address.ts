import type { Severity } from "@modelaudit/core";
import type { FoundAddress } from "./address-extraction.js";
import { isCallbackKey, isDocumentationKey } from "./context-keys.js";
import { isDatasetLocation } from "./dataset-location.js";
import { classifyHost, hostMatches } from "./hosts.js";
import { type AddressScope, ipv4Scope, ipv6Scope, parseIpv4, parseIpv6 } from "./ip-address.js";
import type { NetworkOptions } from "./options.js";
import { redactUrl } from "./redact-url.js";

/** Where an address was found, as much as the fact says. */
export interface AddressContext {
  /** How the finding names the place: a key, a path, `code at x:12`. */
  where: string;
  /**
   * "documentation": model card text, comments and docstrings; "call": the arguments of a call a
   * deserializer performs; "code": code that runs; "data": metadata, config and other strings.
   */
  role: "documentation" | "call" | "code" | "data";
  key?: string;
  /** The key written just before the address in the text (`callback_url = "…"`). */
  inlineKey?: string;
  /** The code around it calls a network function. */
  networkCode?: boolean;
  callee?: string;
}

export interface Verdict {
  rule: "url-in-metadata" | "c2-indicator" | "public-ip" | "blocklisted-host";
  messageId: string;
  severity?: Severity;
  data: Record<string, string>;
  evidence: string;
}

function onList(host: string, list: readonly string[]): boolean {
  return list.some((entry) => hostMatches(host, entry));
}

function scopeOf(address: FoundAddress): AddressScope | undefined {
  if (address.hostKind === "ipv4") return ipv4Scope(parseIpv4(address.host)!);
  if (address.hostKind === "ipv6") return ipv6Scope(parseIpv6(address.host)!);
  return undefined;
}

/** Decides what an address means where it was found; undefined when it means nothing worth a line. */
export function judgeAddress(
  address: FoundAddress,
  context: AddressContext,
  options: NetworkOptions,
): Verdict | undefined {
  const host = address.host;
  if (onList(host, options.allowHosts)) return undefined;
  const shown = address.kind === "url" ? redactUrl(address.text) : address.text;
  const data = { where: context.where, host, url: shown };
  const verdict = (rule: Verdict["rule"], messageId: string, severity?: Severity): Verdict => ({
    rule,
    messageId,
    data,
    evidence: shown,
    ...(severity && { severity }),
  });
  if (onList(host, options.blocklist)) return verdict("blocklisted-host", "blocklisted");

  const documentation = context.role === "documentation";
  const scope = scopeOf(address);
  // Bucket names are not host names: s3://bucket has no dots and no category.
  const bucket = address.scheme === "s3" || address.scheme === "gs";
  const category =
    scope !== undefined ? undefined : bucket ? "other" : classifyHost(host, address.path, options.documentationHosts);
  switch (category) {
    case "tunnel":
      return verdict("c2-indicator", "tunnel");
    case "webhook":
      return verdict("c2-indicator", "webhook");
    case "paste":
      return verdict("c2-indicator", "paste");
    case "dynamic-dns":
      return verdict("c2-indicator", "dynamicDns");
    case "shortener":
      // A short link in prose is careless documentation as often as it is a lure.
      return verdict("c2-indicator", "shortener", documentation ? "warning" : undefined);
    case "placeholder":
      return undefined;
  }
  if (scope === "documentation" || scope === "reserved") return undefined;
  if (scope === "public" && address.port !== undefined) return verdict("c2-indicator", "publicIpWithPort");

  const callback = isCallbackKey(context.key) || isCallbackKey(context.inlineKey);
  if (callback && !(documentation && category === "documentation")) return verdict("c2-indicator", "callbackKey");
  if (documentation) return undefined;
  if (context.role === "call")
    return { ...verdict("c2-indicator", "callArgument"), data: { ...data, callee: context.callee ?? "a call" } };
  // Code that downloads from a code or documentation host (a pinned GitHub file, a Hub repository) is a build
  // step, not a command channel: the link is noted below; the network call itself is judged on its own.
  if (context.role === "code" && context.networkCode && category !== "documentation")
    return verdict("c2-indicator", "codeCall");

  if (scope === "public") return { ...verdict("public-ip", "publicIp"), data: { where: context.where, address: host } };
  if (scope !== undefined || category === "internal") {
    return address.kind === "url" ? verdict("url-in-metadata", "internalUrl", "info") : undefined;
  }
  if (address.kind !== "url") return verdict("url-in-metadata", "hostInConfig");
  if (category === "documentation" || isDocumentationKey(context.key))
    return verdict("url-in-metadata", "documentationLink", "info");
  if (category === "tracker") return verdict("url-in-metadata", "trackerLink", "info");
  // The field's key and the label written right before the URL (`train_data: s3://…` in a comment) both say what it is.
  if (isDatasetLocation(address, [context.key, context.inlineKey].filter(Boolean).join(".") || undefined))
    return verdict("url-in-metadata", "datasetLocation", "info");
  if (bucket) return verdict("url-in-metadata", "cloudBucket");
  return verdict("url-in-metadata", "url");
}

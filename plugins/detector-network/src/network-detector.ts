import type {
  CallFact,
  CodeFact,
  Detector,
  DetectorContext,
  ImportFact,
  Location,
  Origin,
  ReferenceFact,
  TextFact,
} from "@modelaudit/core";
import { ruleNames } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { type FoundAddress, findAddresses } from "./address-extraction.js";
import { INLINE_KEY, isHostKey, isVersionKey } from "./context-keys.js";
import { isBareHost } from "./hosts.js";
import { parseIpv4 } from "./ip-address.js";
import { type AddressContext, judgeAddress } from "./judge-address.js";
import { isNetworkModule, NETWORK_CALL_NAMES, networkTarget } from "./network-modules.js";
import { type NetworkOptions, readOptions } from "./options.js";
import { findNetworkUse, lineIndex, maskPython } from "./python-code.js";
import { RawAddressJudge } from "./raw-strings.js";
import blocklistedHost from "./rules/blocklisted-host.js";
import c2Indicator from "./rules/c2-indicator.js";
import networkImport from "./rules/network-import.js";
import publicIp from "./rules/public-ip.js";
import urlInMetadata from "./rules/url-in-metadata.js";

/** A pickled string that reads like a dict key, remembered for the string after it. */
const KEY_LIKE = /^[A-Za-z_][\w.-]{0,60}$/;
const SHELL_NETWORK = /\b(curl|wget|nc|ncat|socat|Invoke-WebRequest|iwr|fetch|XMLHttpRequest|scp|ssh|ftp)\b/;

interface PendingImport {
  fact: ImportFact;
  origin: Origin;
  target: string;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const NETWORK_RULES = [urlInMetadata, c2Indicator, networkImport, publicIp, blocklistedHost];

/**
 * Judges addresses in text and code facts, and network-capable imports and calls; and addresses in
 * the engine's printable runs of raw bytes (non-tensor bytes at standard, every byte at thorough).
 */
export const networkDetector: Detector = {
  id: "network",
  description: "URLs, IP addresses and hosts in metadata, code and raw bytes; network imports and calls; C2 indicators",
  facts: ["text", "code", "import", "call", "reference"],
  strings: true,
  rules: ruleNames(NETWORK_RULES),
  create(context) {
    const options = readOptions(context.options);
    const lastString: LastStrings = new WeakMap();
    // Imports wait for the end: one that a call of the same global follows is reported as the call.
    const imports: PendingImport[] = [];
    const called = new Set<string>();
    const raw = new RawAddressJudge(context, options);
    const run: NetworkRun = { context, raw };
    return {
      onString(run, origin) {
        raw.judge(run, origin);
      },
      onFact(fact, origin) {
        switch (fact.kind) {
          case "text":
            if (fact.role === "vocabulary") raw.sawTextInFact(fact.text);
            judgeText(run, options, fact, origin, lastString);
            return;
          case "reference":
            if (fact.referenceKind === "url") judgeReference(run, options, fact, origin);
            return;
          case "code":
            if (fact.language === "jinja") raw.sawTextInFact(fact.text);
            judgeCode(run, options, fact, origin);
            return;
          case "call":
            judgeCall(run, options, fact, origin, called);
            return;
          case "import": {
            const target = qualifiedName(fact.module, fact.name);
            const network = target === undefined ? undefined : networkTarget(target);
            if (network) imports.push({ fact, origin, target: target! });
            return;
          }
        }
      },
      finish() {
        for (const { fact, origin, target } of imports) {
          if (called.has(`${origin.memberChain.join("\0")}\0${target}`)) continue;
          context.report({
            rule: "network-import",
            messageId: "networkImport",
            origin,
            data: { where: describeWhere(fact.location, `a ${fact.via} import`), name: target },
            evidence: target,
            ...(fact.location && { location: fact.location }),
          });
        }
      },
    };
  },
};

function qualifiedName(module: string | null, name: string | null): string | undefined {
  if (module === null) return undefined;
  return name === null ? module : `${module}.${name}`;
}

function describeWhere(location: Location | undefined, fallback: string): string {
  if (location?.path !== undefined)
    return location.line !== undefined ? `${location.path}:${location.line}` : location.path;
  if (location?.line !== undefined) return `line ${location.line}`;
  if (location?.offset !== undefined) return `${fallback} at offset ${location.offset}`;
  return fallback;
}

/**
 * One file's run: its context, and its raw-bytes judge (addresses judged as facts are not judged
 * again in the bytes). Passed along rather than looked up in a module-level WeakMap keyed by the
 * context: V8's young-generation collector keeps the values of an old WeakMap alive, so every
 * file's whole scan state outlived its file and was copied into the old generation.
 */
interface NetworkRun {
  readonly context: DetectorContext;
  readonly raw: RawAddressJudge;
}

function report(
  run: NetworkRun,
  options: NetworkOptions,
  addresses: readonly FoundAddress[],
  base: Omit<AddressContext, "inlineKey">,
  origin: Origin,
  location: Location | undefined,
  text: string,
  refine?: (address: FoundAddress) => Partial<AddressContext> & { location?: Location },
): void {
  const { context, raw } = run;
  for (const address of addresses) {
    raw.sawInFact(address);
    const inline = INLINE_KEY.exec(text.slice(Math.max(0, address.start - 80), address.start))?.[1];
    const extra = refine?.(address) ?? {};
    const { location: refinedLocation, ...refinedContext } = extra;
    const verdict = judgeAddress(
      address,
      { ...base, ...(inline && { inlineKey: inline }), ...refinedContext },
      options,
    );
    if (!verdict) continue;
    const where = refinedLocation ?? location;
    context.report({
      rule: verdict.rule,
      messageId: verdict.messageId,
      data: verdict.data,
      origin,
      evidence: verdict.evidence,
      ...(verdict.severity && { severity: verdict.severity }),
      ...(where && { location: where }),
    });
  }
}

/** The last key-like string seen, per source and pickle stream. */
type LastStrings = WeakMap<readonly string[], Map<number, string>>;

function judgeText(
  run: NetworkRun,
  options: NetworkOptions,
  fact: TextFact,
  origin: Origin,
  lastString: LastStrings,
): void {
  // Tokenizer pieces are fragments of text, never destinations.
  if (fact.role === "vocabulary") return;
  let key = fact.key;
  if (key === undefined && fact.role === "string-constant") {
    // A pickled dict stores each key right before its value: remember it for the next string.
    // Keyed by the source (its member chain array is one object per source) and the pickle stream.
    let streams = lastString.get(origin.memberChain);
    if (!streams) {
      streams = new Map();
      lastString.set(origin.memberChain, streams);
    }
    const stream = fact.location?.stream ?? 0;
    key = streams.get(stream);
    if (KEY_LIKE.test(fact.text)) streams.set(stream, fact.text);
    else streams.delete(stream);
  }
  // URLs and IPv6 addresses need a colon, host names and IPv4 addresses a dot: most strings have neither.
  if (!fact.text.includes(".") && !fact.text.includes(":")) return;
  const addresses = findAddresses(fact.text).filter((address) => !(address.kind === "ip" && isVersionKey(key)));
  const bare = bareHostOf(fact.text, key);
  if (bare) addresses.push(bare);
  // Where it was said is worded only for a text that names an address (most do not).
  if (addresses.length === 0) return;
  const place = fact.location?.path ?? fact.key;
  const where =
    place !== undefined
      ? `${place}${fact.location?.line !== undefined ? `:${fact.location.line}` : ""}`
      : describeWhere(fact.location, key !== undefined ? `the value of pickled key ${key}` : "a string");
  const role = fact.role === "documentation" ? "documentation" : "data";
  report(run, options, addresses, { where, role, ...(key && { key }) }, origin, fact.location, fact.text);
}

/** The value of a host-like key, when it is a bare host name (`"server": "evil.net:8080"`). */
function bareHostOf(text: string, key: string | undefined): FoundAddress | undefined {
  if (!isHostKey(key)) return undefined;
  const match = /^\s*([A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?\s*$/.exec(text);
  if (!match) return undefined;
  const host = match[1]!.toLowerCase();
  if (parseIpv4(host) || !isBareHost(host)) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  return {
    kind: "host",
    text: text.trim(),
    start: 0,
    host,
    hostKind: "name",
    path: "",
    ...(port && port <= 65535 && { port }),
  };
}

function judgeReference(run: NetworkRun, options: NetworkOptions, fact: ReferenceFact, origin: Origin): void {
  const key = fact.key ?? fact.location?.path;
  const addresses = findAddresses(fact.target);
  report(
    run,
    options,
    addresses,
    { where: key ?? "a URL reference", role: "data", ...(key && { key }) },
    origin,
    fact.location,
    fact.target,
  );
}

function judgeCall(
  run: NetworkRun,
  options: NetworkOptions,
  fact: CallFact,
  origin: Origin,
  called: Set<string>,
): void {
  const callee = qualifiedName(fact.callee.module, fact.callee.name);
  const where = describeWhere(fact.location, `a ${fact.via} call`);
  const network = callee === undefined ? undefined : networkTarget(callee);
  if (network && fact.via !== "BUILD") {
    called.add(`${origin.memberChain.join("\0")}\0${callee}`);
    run.context.report({
      rule: "network-import",
      messageId: "networkCall",
      severity: "critical",
      origin,
      data: { where, name: callee! },
      evidence: truncateText(`${callee}(${(fact.args ?? []).join(", ")})`),
      ...(fact.location && { location: fact.location }),
    });
  }
  // BUILD "arguments" are object state, judged as the strings they are made of.
  if (fact.via === "BUILD" || !fact.args?.length) return;
  const text = fact.args.join(", ");
  report(
    run,
    options,
    findAddresses(text),
    { where, role: "call", callee: callee ?? "an unresolved callable" },
    origin,
    fact.location,
    text,
  );
}

function judgeCode(run: NetworkRun, options: NetworkOptions, fact: CodeFact, origin: Origin): void {
  // Chat templates belong to the template-injection detector.
  if (fact.language === "jinja") return;
  const path = fact.location?.path ?? "code";
  const line = lineIndex(fact.text);
  const at = (index: number): Location => ({ ...fact.location, path, line: line(index) });
  const whereAt = (index: number) => `${path}:${line(index)}`;
  if (fact.language === "python-bytecode") {
    judgeBytecode(run, options, fact, origin);
    return;
  }
  let networkCode = false;
  let prose: [number, number][] = [];
  if (fact.language === "python" || fact.language === "torchscript") {
    const masked = maskPython(fact.text);
    prose = masked.prose;
    const use = findNetworkUse(masked.code);
    networkCode = use.calls.length > 0;
    const calledTargets = new Set(use.calls.map((call) => call.target));
    for (const call of use.calls) {
      run.context.report({
        rule: "network-import",
        messageId: "networkCall",
        severity: "critical",
        origin,
        data: { where: whereAt(call.index), name: call.target },
        evidence: truncateText(call.written),
        location: at(call.index),
      });
    }
    for (const imported of use.imports) {
      if ([...calledTargets].some((target) => target === imported.target || target.startsWith(`${imported.target}.`))) {
        continue;
      }
      run.context.report({
        rule: "network-import",
        messageId: "networkImport",
        origin,
        data: { where: whereAt(imported.index), name: imported.target },
        evidence: truncateText(imported.written),
        location: at(imported.index),
      });
    }
  } else {
    networkCode = SHELL_NETWORK.test(fact.text);
  }
  const inProse = (index: number) => prose.some(([start, end]) => index >= start && index < end);
  report(
    run,
    options,
    findAddresses(fact.text),
    { where: path, role: "code", networkCode },
    origin,
    fact.location,
    fact.text,
    (address) => ({
      where: whereAt(address.start),
      location: at(address.start),
      ...(inProse(address.start) && { role: "documentation" as const }),
    }),
  );
}

/** Keras Lambda bytecode: names and constants, no syntax. A network module plus a call name is a call. */
function judgeBytecode(run: NetworkRun, options: NetworkOptions, fact: CodeFact, origin: Origin): void {
  const names = fact.names ?? [];
  const where = fact.location?.path ?? "bytecode";
  const modules = [...new Set(names.filter((name) => isNetworkModule(name) || networkTarget(name) !== undefined))];
  const callNames = names.filter((name) => NETWORK_CALL_NAMES.has(name));
  const networkCode = modules.length > 0 && callNames.length > 0;
  for (const module of modules.slice(0, 20)) {
    run.context.report({
      rule: "network-import",
      messageId: networkCode ? "networkCall" : "networkImport",
      ...(networkCode && { severity: "critical" as const }),
      origin,
      data: { where, name: networkCode ? `${module} (${[...new Set(callNames)].slice(0, 5).join(", ")})` : module },
      evidence: truncateText(names.join(" ")),
      ...(fact.location && { location: fact.location }),
    });
  }
  const text = `${fact.text}\n${names.join("\n")}`;
  report(run, options, findAddresses(text), { where, role: "code", networkCode }, origin, fact.location, text);
}

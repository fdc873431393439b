import type { Detector, Location, Origin } from "@modelaudit/core";
import { ruleNames } from "@modelaudit/core";
import { findInternalHosts, PRIVATE_SUFFIXES } from "./find-hosts.js";
import { suffixesFrom } from "./options.js";
import internalHostname from "./rules/internal-hostname.js";

/**
 * Reads metadata and config strings that format handlers emit (`text` facts) and the printable
 * strings of every file's raw bytes, so it works on any format, even one no handler claims.
 */
export const internalHostsDetector: Detector = {
  id: "internal-hosts",
  description: "host names of private networks in model files",
  facts: ["text"],
  strings: true,
  rules: ruleNames([internalHostname]),
  create(context) {
    const suffixes = suffixesFrom(context.options, PRIVATE_SUFFIXES);
    // Each host once per source: a name repeated through a file is one thing to fix.
    const reported = new Set<string>();
    const check = (text: string, origin: Origin, seenIn: "fact" | "bytes", where: (index: number) => Location) => {
      for (const { host, suffix, index } of findInternalHosts(text, suffixes)) {
        const key = `${origin.memberChain.join("\u0000")}\u0001${host}`;
        if (reported.has(key)) continue;
        reported.add(key);
        context.report({
          rule: internalHostname.name,
          messageId: "internalHost",
          data: { host, suffix: `.${suffix}` },
          origin,
          location: where(index),
          evidence: host,
          value: host,
          seenIn,
        });
      }
    };
    return {
      onFact(fact, origin) {
        if (fact.kind !== "text") return;
        check(fact.text, origin, "fact", () => ({ ...fact.location, ...(fact.key ? { path: fact.key } : {}) }));
      },
      onString(run, origin) {
        // Offsets are exact for ASCII runs; otherwise the run's start is the nearest known byte.
        check(run.text, origin, "bytes", (index) => ({ offset: run.offset + (run.ascii ? index : 0) }));
      },
    };
  },
};

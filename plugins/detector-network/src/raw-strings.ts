import type { DetectorContext, Origin, PrintableString } from "@modelaudit/core";
import { type FoundAddress, findAddresses } from "./address-extraction.js";
import { INLINE_KEY } from "./context-keys.js";
import { judgeAddress } from "./judge-address.js";
import type { NetworkOptions } from "./options.js";

/**
 * Addresses in the printable runs of raw bytes (files no handler understood, bytes between parsed
 * structures, tensor data at `thorough`). Raw bytes say nothing about what a string is for, so only
 * what is suspicious on its face keeps its weight: C2 indicators (a raw public IP with a port,
 * tunnels, webhooks, paste sites, dynamic DNS, a callback key written before the URL), blocklisted
 * hosts, and URLs to a raw public IP. Other URLs (licence links, docs, package indexes) and bare
 * dotted quads without a port (versions, OIDs) say nothing without a key to read them by. Addresses a handler already gave as facts are judged there, not again.
 */
export class RawAddressJudge {
  /** Address texts seen in facts of this artifact. */
  private readonly seenInFacts = new Set<string>();

  constructor(
    private readonly context: DetectorContext,
    private readonly options: NetworkOptions,
  ) {}

  /** Remembers an address a fact gave, so the raw bytes of the same value add nothing. */
  sawInFact(address: FoundAddress): void {
    this.seenInFacts.add(address.text);
  }

  /** Remembers the addresses of a text the fact judges skip (vocabulary pieces, templates). */
  sawTextInFact(text: string): void {
    if (!text.includes(".") && !text.includes(":")) return;
    for (const address of findAddresses(text)) this.seenInFacts.add(address.text);
  }

  judge(run: PrintableString, origin: Origin): void {
    if (!run.text.includes(".") && !run.text.includes(":")) return;
    for (const address of findAddresses(run.text)) {
      if (this.seenInFacts.has(address.text)) continue;
      if (address.kind === "ip" && address.port === undefined) continue;
      const offset = run.offset + byteDelta(run, address.start);
      const where = `raw bytes at offset ${offset}`;
      const inlineKey = INLINE_KEY.exec(run.text.slice(Math.max(0, address.start - 80), address.start))?.[1];
      const verdict = judgeAddress(address, { where, role: "data", ...(inlineKey && { inlineKey }) }, this.options);
      if (!verdict) continue;
      // Without a key or a role, a URL to an ordinary host is no evidence of anything.
      if (verdict.rule === "url-in-metadata") continue;
      this.context.report({
        rule: verdict.rule,
        messageId: verdict.messageId,
        data: verdict.data,
        origin,
        evidence: verdict.evidence,
        ...(verdict.severity && { severity: verdict.severity }),
        location: { offset },
      });
    }
  }
}

function byteDelta(run: PrintableString, index: number): number {
  return run.ascii ? index : Buffer.byteLength(run.text.slice(0, index), "utf8");
}

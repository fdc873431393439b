import { API_VERSION, definePlugin } from "@modelaudit/core";
import { validateOptions } from "./options.js";
import hashMismatch from "./rules/hash-mismatch.js";
import knownMaliciousHash from "./rules/known-malicious-hash.js";
import lfsPointer from "./rules/lfs-pointer.js";
import { supplyChainDetector } from "./supply-chain-detector.js";

export { type FeedEntry, FeedError, MAX_FEED_BYTES, parseFeed } from "./hashdb/feed.js";
export { HashDatabase, type HashDatabaseStats, type KnownHash } from "./hashdb/hash-database.js";
export { type DeniedDigest, type HashPin, readOptions, type SupplyChainOptions } from "./options.js";
export { supplyChainDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-supply-chain", version: __PACKAGE_VERSION__, namespace: "supply-chain" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [supplyChainDetector],
  rules: {
    "lfs-pointer": lfsPointer,
    "known-malicious-hash": knownMaliciousHash,
    "hash-mismatch": hashMismatch,
  },
});

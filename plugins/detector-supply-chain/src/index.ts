import { definePlugin, rulesByName } from "@modelaudit/core";
import { NEAR_COPY_RULES, nearCopyDetector } from "./fuzzy/near-copy-detector.js";
import { LICENSE_RULES, licenseDetector } from "./licenses/license-detector.js";
import { PROVENANCE_RULES, provenanceDetector } from "./provenance/provenance-detector.js";
import { SIGNATURE_RULES, signatureDetector } from "./signatures/signature-detector.js";
import { SUPPLY_CHAIN_RULES, supplyChainDetector } from "./supply-chain-detector.js";

export { compareSsdeep, parseSsdeep, SsdeepHasher, ssdeep } from "./fuzzy/ssdeep.js";
export { type FeedEntry, FeedError, MAX_FEED_BYTES, parseFeed } from "./hashdb/feed.js";
export { HashDatabase, type HashDatabaseStats, type KnownHash, type NearCopy } from "./hashdb/hash-database.js";
export { type License, type LicenseCategory, normalizeLicense } from "./licenses/license-ids.js";
export { type DeniedDigest, type HashPin, readOptions, type SupplyChainOptions } from "./options.js";
export { findLookalike, type Lookalike } from "./provenance/lookalike.js";
export { type RepoId, repoIdFromCachePath, repoIdFromText, repoIdFromUrl } from "./provenance/repo-id.js";
export type { FileSignature, SignatureOptions, SignatureResults } from "./signatures/options.js";
export { prepareSignatures } from "./signatures/prepare-signatures.js";
export {
  type BundleTrust,
  type SignerIdentity,
  type VerifiedBundle,
  verifyModelSigningBundle,
} from "./signatures/sigstore-bundle.js";
export { licenseDetector, nearCopyDetector, provenanceDetector, signatureDetector, supplyChainDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-supply-chain", version: __PACKAGE_VERSION__, namespace: "supply-chain" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [supplyChainDetector, nearCopyDetector, provenanceDetector, licenseDetector, signatureDetector],
  rules: rulesByName([
    ...SUPPLY_CHAIN_RULES,
    ...NEAR_COPY_RULES,
    ...SIGNATURE_RULES,
    ...PROVENANCE_RULES,
    ...LICENSE_RULES,
  ]),
});

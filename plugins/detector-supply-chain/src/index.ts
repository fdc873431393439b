import { API_VERSION, definePlugin } from "@modelaudit/core";
import { nearCopyDetector } from "./fuzzy/near-copy-detector.js";
import { licenseDetector } from "./licenses/license-detector.js";
import { validateOptions } from "./options.js";
import { provenanceDetector } from "./provenance/provenance-detector.js";
import hashMismatch from "./rules/hash-mismatch.js";
import knownMaliciousHash from "./rules/known-malicious-hash.js";
import knownMaliciousNearCopy from "./rules/known-malicious-near-copy.js";
import lfsPointer from "./rules/lfs-pointer.js";
import license from "./rules/license.js";
import licensePolicy from "./rules/license-policy.js";
import lineage from "./rules/lineage.js";
import lookalikeRepository from "./rules/lookalike-repository.js";
import missingLicense from "./rules/missing-license.js";
import provenance from "./rules/provenance.js";
import signature from "./rules/signature.js";
import unpinnedRevision from "./rules/unpinned-revision.js";
import untrustedSource from "./rules/untrusted-source.js";
import { signatureDetector } from "./signatures/signature-detector.js";
import { supplyChainDetector } from "./supply-chain-detector.js";

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
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [supplyChainDetector, nearCopyDetector, provenanceDetector, licenseDetector, signatureDetector],
  rules: {
    "lfs-pointer": lfsPointer,
    "known-malicious-hash": knownMaliciousHash,
    "known-malicious-near-copy": knownMaliciousNearCopy,
    "hash-mismatch": hashMismatch,
    signature,
    "lookalike-repository": lookalikeRepository,
    "untrusted-source": untrustedSource,
    "unpinned-revision": unpinnedRevision,
    provenance,
    lineage,
    license,
    "license-policy": licensePolicy,
    "missing-license": missingLicense,
  },
});

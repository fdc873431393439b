import { API_VERSION, definePlugin } from "@modelaudit/core";
import { cryptoDetector } from "./crypto-detector.js";
import { validateOptions } from "./options.js";
import ecbMode from "./rules/ecb-mode.js";
import fixedSeed from "./rules/fixed-seed.js";
import hardCodedKey from "./rules/hard-coded-key.js";
import insecureRandom from "./rules/insecure-random.js";
import keyBesideEncryptedWeights from "./rules/key-beside-encrypted-weights.js";
import weakChecksum from "./rules/weak-checksum.js";

export { checksumFileAlgorithm, weakChecksumLines } from "./checksum-file.js";
export { isEncryptedFile, isKeyFile } from "./cipher-names.js";
export { judgeCiphers } from "./code-ciphers.js";
export { judgeRandomness } from "./code-randomness.js";
export { judgeConfigValue, keyMaterialBytes } from "./config-crypto.js";
export { type CryptoOptions, DEFAULT_OPTIONS as defaultOptions, readOptions } from "./options.js";
export { literalValue, readPython } from "./python-source.js";
export { type WeakDigest, weakDigest } from "./weak-digest.js";
export { cryptoDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-crypto", version: __PACKAGE_VERSION__, namespace: "crypto" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [cryptoDetector],
  rules: {
    "weak-checksum": weakChecksum,
    "hard-coded-key": hardCodedKey,
    "key-beside-encrypted-weights": keyBesideEncryptedWeights,
    "ecb-mode": ecbMode,
    "fixed-seed": fixedSeed,
    "insecure-random": insecureRandom,
  },
});

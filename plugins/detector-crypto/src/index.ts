import { definePlugin, rulesByName } from "@modelaudit/core";
import { CRYPTO_RULES, cryptoDetector } from "./crypto-detector.js";
import { optionsSchema } from "./options.js";

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
  apiVersion: 1,
  optionsSchema,
  detectors: [cryptoDetector],
  rules: rulesByName(CRYPTO_RULES),
});

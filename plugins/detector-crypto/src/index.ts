import { definePlugin, rulesByName } from "@modelaudit/core";
import { CRYPTO_RULES, cryptoDetector } from "./crypto-detector.js";

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
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [cryptoDetector],
  rules: rulesByName(CRYPTO_RULES),
});

import { cwe } from "@modelaudit/core";

// CWE entries core does not define as constants (crypto-specific ones only this package cites).
export const CWE_321 = cwe(321, "Use of Hard-coded Cryptographic Key");
export const CWE_329 = cwe(329, "Generation of Predictable IV with CBC Mode");
export const CWE_320 = cwe(320, "Key Management Errors");
export const CWE_336 = cwe(336, "Same Seed in Pseudo-Random Number Generator (PRNG)");
export const CWE_337 = cwe(337, "Predictable Seed in Pseudo-Random Number Generator (PRNG)");
export const CWE_338 = cwe(338, "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)");

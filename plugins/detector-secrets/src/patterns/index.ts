import type { SecretPattern } from "../secret-match.js";
import { aiServicePatterns } from "./ai-services.js";
import { cloudPatterns } from "./cloud.js";
import { codeHostingPatterns } from "./code-hosting.js";
import { messagingAndPaymentPatterns } from "./messaging-and-payments.js";
import { structuredPatterns } from "./structured.js";

/** Every built-in structured pattern: fixed prefixes or armour, safe to run on raw bytes. */
export const BUILTIN_PATTERNS: readonly SecretPattern[] = [
  ...cloudPatterns,
  ...aiServicePatterns,
  ...codeHostingPatterns,
  ...messagingAndPaymentPatterns,
  ...structuredPatterns,
];

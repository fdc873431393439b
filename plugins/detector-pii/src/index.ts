import { API_VERSION, definePlugin } from "@modelaudit/core";
import { validateOptions } from "./options.js";
import { piiDetector } from "./pii-detector.js";
import creditCardNumber from "./rules/credit-card-number.js";
import emailAddress from "./rules/email-address.js";
import iban from "./rules/iban.js";
import personalRecord from "./rules/personal-record.js";
import phoneNumber from "./rules/phone-number.js";
import usSsn from "./rules/us-ssn.js";

export { cardBrand, isTestCardNumber, judgeCardNumber, luhnValid } from "./card-number.js";
export { classifyEmail, DEFAULT_IGNORED_DOMAINS } from "./email-address.js";
export { ibanChecksumValid, isValidIban } from "./iban.js";
export { DEFAULT_OPTIONS as defaultOptions, type PiiOptions, resolveOptions } from "./options.js";
export { PII_RULES, type PiiRule } from "./pii-match.js";
export { isValidSsn } from "./us-ssn.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-pii", version: __PACKAGE_VERSION__, namespace: "pii" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [piiDetector],
  rules: {
    "credit-card-number": creditCardNumber,
    "email-address": emailAddress,
    iban: iban,
    "personal-record": personalRecord,
    "phone-number": phoneNumber,
    "us-ssn": usSsn,
  },
});

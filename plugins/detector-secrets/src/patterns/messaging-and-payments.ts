import type { SecretPattern } from "../secret-match.js";
import { textBefore, tokenPattern } from "./token-pattern.js";

export const messagingAndPaymentPatterns: SecretPattern[] = [
  tokenPattern({
    name: "slack-token",
    rule: "slack-token",
    kind: (value) => `Slack ${value.slice(0, 4)} token`,
    regex: /(?<![A-Za-z0-9-])xox[abeoprs]-(?:[0-9]{6,}-){1,3}[A-Za-z0-9-]{16,}(?![A-Za-z0-9-])/g,
    anchors: ["xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"],
    prefix: /^xox[a-z]-[0-9-]+/,
    minEntropy: 3,
    severity: "critical",
    confidence: 0.9,
  }),
  tokenPattern({
    name: "slack-app-token",
    rule: "slack-token",
    kind: "Slack app-level token",
    regex: /(?<![A-Za-z0-9-])xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-f0-9]{32,}(?![A-Za-z0-9-])/g,
    anchors: ["xapp-"],
    prefix: /^xapp-\d-[A-Z0-9]+-\d+-/,
    minEntropy: 3,
    severity: "critical",
    confidence: 0.9,
  }),
  tokenPattern({
    name: "slack-webhook",
    rule: "slack-webhook",
    kind: "Slack incoming webhook URL",
    regex:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{20,}/g,
    anchors: ["hooks.slack.com/"],
    prefix: /^https:\/\/hooks\.slack\.com\/[a-z]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+\//,
    minEntropy: 3,
    severity: "critical",
    confidence: 0.95,
  }),
  tokenPattern({
    name: "twilio-credential",
    rule: "twilio-credential",
    kind: (value) => (value.startsWith("SK") ? "Twilio API key SID" : "Twilio account SID"),
    regex: /(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}(?![A-Za-z0-9])/g,
    anchors: ["AC", "SK"],
    prefix: /^[A-Z]{2}/,
    minEntropy: 3,
    severity: "warning",
    confidence: 0.7,
    // An id of this shape means Twilio only when Twilio is named nearby.
    refine: (_value, match, context) =>
      /twilio/.test(textBefore(context, match.index, 200)) || /twilio/i.test(context.text) ? undefined : false,
  }),
  tokenPattern({
    name: "sendgrid-api-key",
    rule: "sendgrid-api-key",
    kind: "SendGrid API key",
    regex: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    anchors: ["SG."],
    prefix: /^SG\./,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.95,
  }),
  tokenPattern({
    name: "stripe-key",
    rule: "stripe-key",
    kind: (value) =>
      `Stripe ${value.startsWith("pk") ? "publishable" : value.startsWith("rk") ? "restricted" : "secret"} ${
        value.includes("_live_") ? "live" : "test"
      } key`,
    regex: /(?<![A-Za-z0-9_])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{20,}(?![A-Za-z0-9])/g,
    anchors: ["_live_", "_test_"],
    prefix: /^[a-z]{2}_[a-z]+_/,
    minEntropy: 3.2,
    severity: "critical",
    confidence: 0.95,
    refine: (value) => {
      // Publishable keys are meant to ship in clients; test keys reach no real money.
      if (value.startsWith("pk_")) return { severity: "info", messageId: "publishableKey", confidence: 0.9 };
      if (value.includes("_test_")) return { severity: "warning", confidence: 0.85 };
      return undefined;
    },
  }),
];

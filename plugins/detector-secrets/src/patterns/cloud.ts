import { isPlaceholder } from "../placeholders.js";
import { redactSecret } from "../redaction.js";
import type { SecretPattern } from "../secret-match.js";
import { textBefore, tokenPattern } from "./token-pattern.js";

const AWS_KINDS: Record<string, string> = {
  AKIA: "AWS access key id",
  ASIA: "AWS temporary (STS) access key id",
  ABIA: "AWS STS service bearer key id",
  ACCA: "AWS context-specific access key id",
};

export const AWS_ACCESS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;

export const cloudPatterns: SecretPattern[] = [
  tokenPattern({
    name: "aws-access-key",
    rule: "aws-access-key",
    kind: (value) => AWS_KINDS[value.slice(0, 4)] ?? "AWS access key id",
    regex: AWS_ACCESS_KEY,
    anchors: ["AKIA", "ASIA", "ABIA", "ACCA"],
    prefix: /^[A-Z]{4}/,
    severity: "critical",
    confidence: 0.9,
  }),
  tokenPattern({
    name: "google-api-key",
    rule: "google-api-key",
    kind: "Google API key",
    regex: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    anchors: ["AIza"],
    prefix: /^AIza/,
    severity: "critical",
    confidence: 0.85,
  }),
  {
    // Storage account key: 64 random bytes in base64 (86 characters and `==`).
    name: "azure-account-key",
    regex: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
    anchors: ["AccountKey="],
    judge(match, context) {
      const key = match[1] as string;
      if (isPlaceholder(key)) return null;
      const connection = /DefaultEndpointsProtocol=|AccountName=|EndpointSuffix=/.test(context.text);
      return {
        rule: connection ? "azure-connection-string" : "azure-storage-key",
        messageId: "found",
        kind: connection ? "Azure Storage connection string with an account key" : "Azure Storage account key",
        value: key,
        evidence: `AccountKey=${redactSecret(key)}`,
        index: match.index,
        length: match[0].length,
        severity: "critical",
        confidence: 0.95,
      };
    },
  },
  {
    // Service Bus / Event Hubs / IoT Hub shared access key (32 random bytes in base64).
    name: "azure-shared-access-key",
    regex: /SharedAccessKey=([A-Za-z0-9+/]{43}=)/g,
    anchors: ["SharedAccessKey="],
    judge(match, context) {
      const key = match[1] as string;
      if (isPlaceholder(key)) return null;
      const connection = /Endpoint=sb:\/\/|HostName=/.test(context.text);
      return {
        rule: connection ? "azure-connection-string" : "azure-storage-key",
        messageId: "found",
        kind: connection ? "Azure Service Bus/Event Hubs connection string" : "Azure shared access key",
        value: key,
        evidence: `SharedAccessKey=${redactSecret(key)}`,
        index: match.index,
        length: match[0].length,
        severity: "critical",
        confidence: 0.9,
      };
    },
  },
  {
    // A shared access signature: `sv=<version>&...&sig=<HMAC>`.
    name: "azure-sas-token",
    regex:
      /(SharedAccessSignature=)?sv=\d{4}-\d{2}-\d{2}&[A-Za-z0-9%&=:._-]{0,512}?sig=([A-Za-z0-9%+/]{40,}(?:%3D|=){0,2})/g,
    anchors: ["sig="],
    judge(match, context) {
      const signature = match[2] as string;
      if (isPlaceholder(signature)) return null;
      const connection = match[1] !== undefined || /BlobEndpoint=|QueueEndpoint=|FileEndpoint=/.test(context.text);
      return {
        rule: connection ? "azure-connection-string" : "azure-storage-key",
        messageId: "found",
        kind: connection ? "Azure connection string with a shared access signature" : "Azure shared access signature",
        value: signature,
        evidence: `sig=${redactSecret(signature)}`,
        index: match.index,
        length: match[0].length,
        severity: "critical",
        confidence: 0.85,
      };
    },
  },
];

/**
 * AWS secret access key candidates: 40 base64-ish characters. Never reported bare; the detector
 * keeps them only next to an aws/secret key name or an access key id.
 */
export const AWS_SECRET_CANDIDATE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
export const AWS_SECRET_CANDIDATE_RAW = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40,41}(?![A-Za-z0-9/+=])/g;

/** Whether the text just before a secret candidate names it as an AWS or secret key. */
export function hasAwsSecretContext(text: string, index: number, key: string | undefined): boolean {
  return /aws|secret/.test(textBefore({ text, key }, index, 80));
}

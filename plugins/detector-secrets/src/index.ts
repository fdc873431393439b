import { API_VERSION, definePlugin } from "@modelaudit/core";
import { validateOptions } from "./options.js";
import anthropicApiKey from "./rules/anthropic-api-key.js";
import awsAccessKey from "./rules/aws-access-key.js";
import awsKeyPair from "./rules/aws-key-pair.js";
import awsSecretKey from "./rules/aws-secret-key.js";
import azureConnectionString from "./rules/azure-connection-string.js";
import azureStorageKey from "./rules/azure-storage-key.js";
import basicCredential from "./rules/basic-credential.js";
import bearerCredential from "./rules/bearer-credential.js";
import customPattern from "./rules/custom-pattern.js";
import databaseUrl from "./rules/database-url.js";
import genericCredential from "./rules/generic-credential.js";
import githubToken from "./rules/github-token.js";
import gitlabToken from "./rules/gitlab-token.js";
import googleApiKey from "./rules/google-api-key.js";
import huggingfaceToken from "./rules/huggingface-token.js";
import jwt from "./rules/jwt.js";
import npmToken from "./rules/npm-token.js";
import openaiApiKey from "./rules/openai-api-key.js";
import privateKey from "./rules/private-key.js";
import sendgridApiKey from "./rules/sendgrid-api-key.js";
import slackToken from "./rules/slack-token.js";
import slackWebhook from "./rules/slack-webhook.js";
import stripeKey from "./rules/stripe-key.js";
import twilioCredential from "./rules/twilio-credential.js";
import { secretsDetector } from "./secrets-detector.js";

export {
  type CustomPattern,
  DEFAULT_OPTIONS as defaultOptions,
  resolveOptions,
  type SecretsOptions,
} from "./options.js";
export { isPlaceholder } from "./placeholders.js";
export { SECRET_RULES, type SecretRule } from "./secret-match.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-secrets", version: __PACKAGE_VERSION__, namespace: "secrets" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [secretsDetector],
  rules: {
    "anthropic-api-key": anthropicApiKey,
    "aws-access-key": awsAccessKey,
    "aws-key-pair": awsKeyPair,
    "aws-secret-key": awsSecretKey,
    "azure-connection-string": azureConnectionString,
    "azure-storage-key": azureStorageKey,
    "basic-credential": basicCredential,
    "bearer-credential": bearerCredential,
    "custom-pattern": customPattern,
    "database-url": databaseUrl,
    "generic-credential": genericCredential,
    "github-token": githubToken,
    "gitlab-token": gitlabToken,
    "google-api-key": googleApiKey,
    "huggingface-token": huggingfaceToken,
    jwt: jwt,
    "npm-token": npmToken,
    "openai-api-key": openaiApiKey,
    "private-key": privateKey,
    "sendgrid-api-key": sendgridApiKey,
    "slack-token": slackToken,
    "slack-webhook": slackWebhook,
    "stripe-key": stripeKey,
    "twilio-credential": twilioCredential,
  },
});
